import GRDB
import QueueCore

extension SQLiteSQL {
    // MARK: Cancelling

    /// Cancels the waiting (pending or failed) jobs among `ids` at once. `exit_code` and `started_at` stay as
    /// the history of a failed job's last run.
    static func cancelWaitingJobs(_ ids: [String], now: Int64) -> SQL {
        """
        UPDATE queuectl_job SET state = 'cancelled', last_error = \(RunOutcome.cancelledError), finished_at = \(now),
            updated_at = \(now)
        WHERE state IN ('pending', 'failed') AND id IN \(ids)
        """
    }

    /// Asks the workers holding the processing jobs among `ids` to stop their runs. The request is stamped no
    /// earlier than the run's `started_at`, so it names the current run whatever the caller's clock says
    /// (`cancelRequests` tells requests of earlier runs apart by that).
    static func requestCancel(_ ids: [String], graceMilliseconds: Int64, now: Int64) -> SQL {
        """
        UPDATE queuectl_job SET cancel_requested_at = max(\(now), coalesce(started_at, \(now))),
            cancel_grace = \(graceMilliseconds)
        WHERE state = 'processing' AND id IN \(ids)
        """
    }

    /// The cancel requests of the current runs held by `workers`: id, attempt, worker and grace (ms).
    /// `queuectl_job_state` reads only the processing rows.
    static func cancelRequests(_ workers: [String]) -> SQL {
        """
        SELECT id, attempts, worker, cancel_grace FROM queuectl_job
        WHERE state = 'processing' AND worker IN \(workers) AND cancel_requested_at >= started_at
        """
    }
}
