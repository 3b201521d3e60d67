import PostgresNIO
import QueueCore

/// The statements of `remove`, `restart`, `promote`, `purge` and retention (`PostgresJobStore+Removal.swift`).
/// Names match `SQLiteSQL+Removal.swift`.
extension PostgresSQL {
    /// Every column of the jobs `ids`, locked until the transaction ends.
    static func lockJobs(_ ids: [String]) -> PostgresQuery {
        "SELECT \(unescaped: jobColumns) FROM queuectl_job WHERE id = ANY(\(ids)::text[]) FOR UPDATE"
    }

    /// Deletes the jobs `ids` that are in one of `states`, and their stored logs, returning the jobs as they were.
    static func removeJobs(_ ids: [String], states: [String]) -> PostgresQuery {
        """
        WITH removed AS (
            DELETE FROM queuectl_job WHERE id = ANY(\(ids)::text[]) AND state = ANY(\(states)::text[])
            RETURNING \(unescaped: jobColumns)
        ), logs AS (
            DELETE FROM queuectl_log WHERE job_id IN (SELECT id FROM removed)
        )
        SELECT \(unescaped: jobColumns) FROM removed
        """
    }

    /// Moves the jobs `ids` that are in one of `states` to pending from scratch (attempts and snoozes 0), due at
    /// the clock's now; `exit_code`, `last_error`, `started_at` and `finished_at` stay as the last run's history.
    static func restartJobs(_ ids: [String], states: [String], now: Int64?) -> PostgresQuery {
        """
        WITH clock AS (SELECT COALESCE(\(now)::bigint, \(unescaped: databaseNow)) AS t)
        UPDATE queuectl_job SET state = 'pending', attempts = 0, snoozes = 0, run_at = clock.t, updated_at = clock.t,
            worker = NULL
        FROM clock WHERE id = ANY(\(ids)::text[]) AND state = ANY(\(states)::text[])
        RETURNING \(unescaped: jobColumns)
        """
    }

    /// Makes the jobs `ids` that are in one of `states` due at the clock's now; one due earlier keeps its
    /// `run_at` (its place among the due jobs).
    static func promoteJobs(_ ids: [String], states: [String], now: Int64?) -> PostgresQuery {
        """
        WITH clock AS (SELECT COALESCE(\(now)::bigint, \(unescaped: databaseNow)) AS t)
        UPDATE queuectl_job SET run_at = LEAST(run_at, clock.t), updated_at = clock.t
        FROM clock WHERE id = ANY(\(ids)::text[]) AND state = ANY(\(states)::text[])
        RETURNING \(unescaped: jobColumns)
        """
    }

    /// Deletes at most `limit` jobs in `states` of `queues` (empty: any) last changed more than `olderThan` ms
    /// before the clock's now, with their stored logs, returning their ids. Rows another transaction holds
    /// (a concurrent purge, a restart) are skipped, not waited for. The first condition is that of
    /// `queuectl_job_finished` (migration 011) as written there, so the planner can prove the partial index
    /// applies whatever states are bound.
    static func purgeJobs(
        states: [String], queues: [String], olderThan: Int64, now: Int64?, limit: Int
    ) -> PostgresQuery {
        """
        WITH clock AS (SELECT COALESCE(\(now)::bigint, \(unescaped: databaseNow)) AS t),
        doomed AS (
            SELECT j.seq FROM queuectl_job j, clock
            WHERE j.state IN ('completed', 'dead', 'cancelled') AND j.state = ANY(\(states)::text[])
              AND j.updated_at < clock.t - \(olderThan)
              AND (cardinality(\(queues)::text[]) = 0 OR j.queue = ANY(\(queues)::text[]))
            LIMIT \(Int64(limit))
            FOR UPDATE OF j SKIP LOCKED
        ), removed AS (
            DELETE FROM queuectl_job WHERE seq IN (SELECT seq FROM doomed) RETURNING id
        ), logs AS (
            DELETE FROM queuectl_log WHERE job_id IN (SELECT id FROM removed)
        )
        SELECT id FROM removed
        """
    }

    /// The ids of the jobs `purgeJobs` would delete (no limit), in enqueue order.
    static func purgeableJobIDs(states: [String], queues: [String], olderThan: Int64, now: Int64?) -> PostgresQuery {
        """
        WITH clock AS (SELECT COALESCE(\(now)::bigint, \(unescaped: databaseNow)) AS t)
        SELECT j.id FROM queuectl_job j, clock
        WHERE j.state IN ('completed', 'dead', 'cancelled') AND j.state = ANY(\(states)::text[])
          AND j.updated_at < clock.t - \(olderThan)
          AND (cardinality(\(queues)::text[]) = 0 OR j.queue = ANY(\(queues)::text[]))
        ORDER BY j.seq
        """
    }

    /// Records the clock's now as the start of `task`'s turn if its last turn began at least `interval` ms
    /// before (or after now: a clock that jumped back must not stall the task); returns a row only then. Of
    /// concurrent callers the first to lock the row wins; the others see its new time.
    static func takeTurn(of task: String, now: Int64?, interval: Int64) -> PostgresQuery {
        """
        WITH clock AS (SELECT COALESCE(\(now)::bigint, \(unescaped: databaseNow)) AS t)
        INSERT INTO queuectl_maintenance (task, ran_at) SELECT \(task), clock.t FROM clock
        ON CONFLICT (task) DO UPDATE SET ran_at = excluded.ran_at
        WHERE queuectl_maintenance.ran_at <= excluded.ran_at - \(interval)
           OR queuectl_maintenance.ran_at > excluded.ran_at
        RETURNING task
        """
    }
}
