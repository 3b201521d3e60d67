import Foundation
import QueueCore

/// The human table of jobs shared by `list` and `dlq list`.
struct JobTable {
    /// Where to print.
    let output: Output
    /// The instant times are shown relative to.
    let now: Date

    /// Prints `jobs` as an aligned table (`lastError` adds the LAST ERROR column the DLQ shows);
    /// prints nothing when there are none.
    func print(_ jobs: [Job], lastError: Bool = false) {
        var headers = ["ID", "STATE", "ATTEMPTS", "PRI", "QUEUE", "TIME"]
        if lastError { headers.append("LAST ERROR") }
        headers.append("COMMAND")
        let rows = jobs.map { job in
            var cells = [
                TableCell(job.id.rawValue), output.styled(job.state), TableCell("\(job.attempts)/\(1 + job.maxRetries)"),
                TableCell(String(job.priority)), TableCell(job.queue), TableCell(time(of: job)),
            ]
            if lastError { cells.append(TableCell(Output.truncated(job.lastError ?? "-", to: 40))) }
            cells.append(TableCell(job.command))
            return cells
        }
        output.table(headers: headers, rows: rows)
    }

    /// When a waiting job is due, or when any other job last changed.
    private func time(of job: Job) -> String {
        switch job.state {
        case .pending, .failed: RelativeTime.describe(job.runAt, now: now)
        case .processing: RelativeTime.describe(job.startedAt ?? job.updatedAt, now: now)
        case .completed, .dead: RelativeTime.describe(job.finishedAt ?? job.updatedAt, now: now)
        }
    }
}
