/// The columns of the job table, as both stores name them (snake_case: the contract's JSON names). The one
/// list: each store's statements build their column lists from it and decode rows by these names, so a new
/// column is added here once and never counted into a position.
public enum JobColumn: String, CaseIterable, Sendable {
    case id, command, maxRetries = "max_retries", priority, runAt = "run_at", timeout, queue, state, attempts
    case exitCode = "exit_code", lastError = "last_error", createdAt = "created_at", updatedAt = "updated_at"
    case startedAt = "started_at", finishedAt = "finished_at", worker, timeoutFromConfig = "timeout_from_config"
    case noRetryExitCodes = "no_retry_exit_codes", lastWorker = "last_worker", snoozes, uniqueKey = "unique_key"
    case after

    /// The columns an enqueue writes, in this order (`last_worker` starts NULL: claims set it; `snoozes` starts
    /// at 0).
    public static let inserted: [JobColumn] = allCases.filter { $0 != .lastWorker && $0 != .snoozes }

    /// `columns` as a comma-separated list, each prefixed with `alias.` when an alias is given.
    public static func list(_ columns: [JobColumn] = allCases, qualifiedBy alias: String? = nil) -> String {
        let prefix = alias.map { $0 + "." } ?? ""
        return columns.map { column in prefix + column.rawValue }.joined(separator: ", ")
    }
}
