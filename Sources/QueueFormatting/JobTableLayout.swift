/// The human table of jobs (`list`, `dlq list`, and the fast path's `list`): its columns, what a row shows and
/// which instant its TIME column is relative to, once for every printer of it.
///
/// Lines fit the terminal: when they would not, the command gives way first, then queue names and last errors;
/// ids, states, attempts, priority and time stay whole. Ids are never cut (people copy them, and scripts take
/// them with `awk '{print $1}'`): when even that is too wide, a line is cut at the edge but never before the end
/// of its id.
public enum JobTableLayout {
    /// The columns, with LAST ERROR (which the DLQ shows) when `lastError`.
    public static func columns(lastError: Bool) -> [TableColumn] {
        var columns = [
            TableColumn("ID", keepsWhole: true), TableColumn("STATE"), TableColumn("ATTEMPTS"), TableColumn("PRI"),
            TableColumn("QUEUE", cap: 12, minimum: 5), TableColumn("TIME"),
        ]
        if lastError { columns.append(TableColumn("LAST ERROR", cap: 24, minimum: 10)) }
        columns.append(TableColumn("COMMAND", minimum: 7))
        return columns
    }

    /// One job's row for `columns(lastError:)`: `lastError` is the job's last error (`-` for none) when the
    /// table has that column, nil when it does not; `time` is the relative time of `shownInstant`.
    public static func row(
        id: String, state: TableCell, attempts: Int, maxRetries: Int, priority: Int, queue: String, time: String,
        lastError: String?, command: String
    ) -> [TableCell] {
        var cells = [
            TableCell(id), state, TableCell(String(attempts) + "/" + String(1 + maxRetries)),
            TableCell(String(priority)), TableCell(queue), TableCell(time),
        ]
        if let lastError { cells.append(TableCell(VisibleText.truncated(lastError, to: 40))) }
        cells.append(TableCell(command))
        return cells
    }

    /// The instant TIME shows for a job in `state` (a `JobState` name): when a waiting job is due, when a running
    /// one started, when any other last changed.
    public static func shownInstant<Instant>(
        state: String, runAt: Instant, startedAt: Instant?, finishedAt: Instant?, updatedAt: Instant
    ) -> Instant {
        switch state {
        case "pending", "failed": runAt
        case "processing": startedAt ?? updatedAt
        default: finishedAt ?? updatedAt
        }
    }
}
