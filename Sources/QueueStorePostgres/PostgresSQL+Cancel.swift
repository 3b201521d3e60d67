import PostgresNIO
import QueueCore

extension PostgresSQL {
    // MARK: Cancelling

    /// Cancels the waiting (pending or failed) jobs among `ids` at once, at the clock's now. `exit_code` and
    /// `started_at` stay as the history of a failed job's last run.
    static func cancelWaitingJobs(_ ids: [String], now: Int64?) -> PostgresQuery {
        """
        WITH clock AS (SELECT COALESCE(\(now)::bigint, \(unescaped: databaseNow)) AS t)
        UPDATE queuectl_job SET state = 'cancelled', last_error = \(RunOutcome.cancelledError),
            finished_at = clock.t, updated_at = clock.t
        FROM clock WHERE state IN ('pending', 'failed') AND id = ANY(\(ids)::text[])
        """
    }

    /// Asks the workers holding the processing jobs among `ids` to stop their runs. The request is stamped no
    /// earlier than the run's `started_at`, so it names the current run whatever the clocks say
    /// (`cancelRequests` tells requests of earlier runs apart by that).
    static func requestCancel(_ ids: [String], graceMilliseconds: Int64, now: Int64?) -> PostgresQuery {
        """
        WITH clock AS (SELECT COALESCE(\(now)::bigint, \(unescaped: databaseNow)) AS t)
        UPDATE queuectl_job SET cancel_requested_at = GREATEST(clock.t, started_at),
            cancel_grace = \(graceMilliseconds)::bigint
        FROM clock WHERE state = 'processing' AND id = ANY(\(ids)::text[])
        """
    }

    /// Adds `amount` to the run counter `name` (in this connection's shard).
    static func addToCounter(_ name: String, amount: Double) -> PostgresQuery {
        """
        INSERT INTO queuectl_counter (name, shard, value) VALUES (\(name), pg_backend_pid() % 64, \(amount)::float8)
        ON CONFLICT (name, shard) DO UPDATE SET value = queuectl_counter.value + excluded.value
        """
    }

    /// The jobs `ids` (in no particular order).
    static func jobs(_ ids: [String]) -> PostgresQuery {
        "SELECT \(unescaped: jobColumns) FROM queuectl_job WHERE id = ANY(\(ids)::text[])"
    }

    /// The cancel requests of the current runs held by `workers`: id, attempt, worker and grace (ms), through
    /// `queuectl_job_worker`.
    static func cancelRequests(_ workers: [String]) -> PostgresQuery {
        """
        SELECT id, attempts::bigint, worker, cancel_grace FROM queuectl_job
        WHERE state = 'processing' AND worker = ANY(\(workers)::text[]) AND cancel_requested_at >= started_at
        """
    }
}
