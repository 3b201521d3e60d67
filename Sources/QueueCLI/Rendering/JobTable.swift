import Foundation
import QueueCore
import QueueFormatting

/// The human table of jobs shared by `list` and `dlq list` (laid out by `JobTableLayout`, as the fast path's
/// `list` lays it out).
struct JobTable {
    /// Where to print.
    let output: Output
    /// The instant times are shown relative to.
    let now: Date

    /// Prints `jobs` as an aligned table (`lastError` adds the LAST ERROR column the DLQ shows), or
    /// `empty` when there are none.
    func print(_ jobs: [Job], lastError: Bool = false, empty: String) {
        guard !jobs.isEmpty else {
            output.line(empty)
            return
        }
        let rows = jobs.map { job in
            let shown = JobTableLayout.shownInstant(
                state: job.state.rawValue, runAt: job.runAt, startedAt: job.startedAt, finishedAt: job.finishedAt,
                updatedAt: job.updatedAt)
            return JobTableLayout.row(
                id: job.id.rawValue, state: output.styled(job.state), attempts: job.attempts, maxRetries: job.maxRetries,
                priority: job.priority, queue: job.queue, time: RelativeTime.describe(shown, now: now),
                lastError: lastError ? job.lastError ?? "-" : nil, command: job.command)
        }
        output.table(JobTableLayout.columns(lastError: lastError), rows: rows)
    }
}
