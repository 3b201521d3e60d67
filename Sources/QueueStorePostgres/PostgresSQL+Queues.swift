import Foundation
import PostgresNIO
import QueueCore

/// The queue statements (migration 015), named as in `SQLiteSQL+Queues.swift`. The claim's side of the settings
/// lives in migration 015's `queuectl_due_jobs`.
extension PostgresSQL {
    /// The queues idle workers need not wake for, as a text array: paused, or limited with as many jobs
    /// processing as the limit. Read without locks: it only decides how long an idle worker sleeps.
    static let heldQueues = """
        ARRAY(SELECT s.name FROM queuectl_queue s
              WHERE s.paused OR (s.job_limit > 0 AND s.job_limit <= (
                  SELECT count(*) FROM queuectl_job p WHERE p.state = \(JobState.processing.sqlLiteral) AND p.queue = s.name)))
        """

    /// Every queue's jobs per state (a scan of the job table: `queue list` and the dashboard only).
    static func queueStateCounts() -> PostgresQuery {
        "SELECT queue, state::text, count(*) AS count FROM queuectl_job GROUP BY queue, state"
    }

    /// Every queue row (queues with settings).
    static func queueSettings() -> PostgresQuery {
        "SELECT name, paused, job_limit::bigint FROM queuectl_queue"
    }

    /// The names of every queue that exists: with jobs or with a row.
    static func existingQueueNames() -> PostgresQuery {
        "SELECT DISTINCT queue FROM queuectl_job UNION SELECT name FROM queuectl_queue"
    }

    /// Sets `paused` on the queues `names`, creating their rows if needed.
    static func setQueuesPaused(_ names: [String], paused: Bool, now: Int64) -> PostgresQuery {
        """
        INSERT INTO queuectl_queue (name, paused, updated_at)
        SELECT n, \(paused), \(now) FROM unnest(\(names)::text[]) AS n
        ON CONFLICT (name) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at
        """
    }

    /// Sets the limit of the queue `name`, creating its row if needed.
    static func setQueueLimit(_ name: String, limit: Int, now: Int64) -> PostgresQuery {
        """
        INSERT INTO queuectl_queue (name, job_limit, updated_at) VALUES (\(name), \(limit), \(now))
        ON CONFLICT (name) DO UPDATE SET job_limit = excluded.job_limit, updated_at = excluded.updated_at
        """
    }

    /// Drops the rows whose settings are back to the defaults (listed only while they have jobs).
    static func deleteDefaultQueueRows() -> PostgresQuery {
        "DELETE FROM queuectl_queue WHERE NOT paused AND job_limit = 0"
    }
}
