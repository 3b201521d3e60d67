import Foundation
import QueueCore

/// The human table of jobs shared by `list` and `dlq list`.
struct JobTable {
    /// Where to print.
    let output: Output
    /// The instant times are shown relative to.
    let now: Date

    /// Prints `jobs` as an aligned table (`lastError` adds the LAST ERROR column the DLQ shows), or
    /// `empty` when there are none.
    ///
    /// Lines fit the terminal: when they would not, the command gives way first, then queue names and last
    /// errors; ids, states, attempts, priority and time stay whole. Ids are never cut (people copy them, and
    /// scripts take them with `awk '{print $1}'`): when even that is too wide, a line is cut at the edge but
    /// never before the end of its id.
    func print(_ jobs: [Job], lastError: Bool = false, empty: String) {
        guard !jobs.isEmpty else {
            output.line(empty)
            return
        }
        var columns = [
            TableColumn("ID", keepsWhole: true), TableColumn("STATE"), TableColumn("ATTEMPTS"), TableColumn("PRI"),
            TableColumn("QUEUE", cap: 12, minimum: 5), TableColumn("TIME"),
        ]
        if lastError { columns.append(TableColumn("LAST ERROR", cap: 24, minimum: 10)) }
        columns.append(TableColumn("COMMAND", minimum: 7))
        let rows = jobs.map { job in
            var cells = [
                TableCell(job.id.rawValue), output.styled(job.state), TableCell("\(job.attempts)/\(1 + job.maxRetries)"),
                TableCell(String(job.priority)), TableCell(job.queue), TableCell(time(of: job)),
            ]
            if lastError { cells.append(TableCell(Output.truncated(job.lastError ?? "-", to: 40))) }
            cells.append(TableCell(job.command))
            return cells
        }
        output.table(columns, rows: rows)
    }

    /// When a waiting job is due, or when any other job last changed.
    private func time(of job: Job) -> String {
        switch job.state {
        case .pending, .failed: RelativeTime.describe(job.runAt, now: now)
        case .processing: RelativeTime.describe(job.startedAt ?? job.updatedAt, now: now)
        case .completed, .dead, .cancelled: RelativeTime.describe(job.finishedAt ?? job.updatedAt, now: now)
        }
    }
}
