import GRDB
import QueueCore

extension SQLiteSQL {
    /// The claim of one worker while no queue has settings: what `claimJobs` does for one slot, as one UPDATE of
    /// the first due row (`dueInClaimOrder`, LIMIT 1), fenced by the worker's command as `claimJobs`' `slots` is.
    /// This is the claim a busy slot makes after each result, and `claimJobs`' ranking (`numbered`), worker
    /// numbering (`slots`, a window function) and join have nothing to rank for one worker, while each
    /// materialised CTE, the window's sorter and the join cost SQLite an ephemeral table per claim: measured
    /// through Python's sqlite3 on the same library, 108 against 149 µs for one claim with its commit.
    static func claimJob(for worker: String, queues: [String], now: Int64) -> SQL {
        """
        UPDATE queuectl_job SET state = \(sql: JobState.processing.sqlLiteral), attempts = attempts + 1, started_at = \(now),
            updated_at = \(now), finished_at = NULL, worker = \(worker), last_worker = \(worker)
        WHERE seq = (SELECT seq FROM (\(dueInClaimOrder(queues: queues, now: now, count: "1"))))
          AND EXISTS (SELECT 1 FROM queuectl_worker w WHERE w.id = \(worker) AND w.command = \(sql: WorkerCommand.run.sqlLiteral))
        RETURNING \(sql: jobColumns)
        """
    }
}
