import Foundation
import QueueCore

/// One job as the enqueue statement reads it from its JSON parameter (`jsonb_to_recordset`): a whole
/// batch travels as one bound value, so a batch of any size is one statement, and absent optionals
/// become NULL columns. `ord` keeps the batch order, which becomes enqueue order.
struct PostgresJobRow: Encodable {
    let ord: Int
    let id: String
    let command: String
    let maxRetries: Int
    let priority: Int
    let runAt: Int64
    let timeout: Int
    let queue: String
    let state: String
    let attempts: Int
    let exitCode: Int32?
    let lastError: String?
    let createdAt: Int64
    let updatedAt: Int64
    let startedAt: Int64?
    let finishedAt: Int64?
    let worker: String?
    let timeoutFromConfig: Bool
    let noRetryExitCodes: [Int32]
    let uniqueKey: String?
    let after: [String]

    init(_ job: Job, ord: Int) {
        self.ord = ord
        id = job.id.rawValue
        command = job.command
        maxRetries = job.maxRetries
        priority = job.priority
        runAt = Timestamp.milliseconds(job.runAt)
        timeout = job.timeout
        queue = job.queue
        state = job.state.rawValue
        attempts = job.attempts
        exitCode = job.exitCode
        lastError = job.lastError
        createdAt = Timestamp.milliseconds(job.createdAt)
        updatedAt = Timestamp.milliseconds(job.updatedAt)
        startedAt = job.startedAt.map(Timestamp.milliseconds)
        finishedAt = job.finishedAt.map(Timestamp.milliseconds)
        worker = job.worker
        timeoutFromConfig = job.timeoutFromConfig
        noRetryExitCodes = job.noRetryExitCodes
        uniqueKey = job.uniqueKey
        after = job.after.map(\.rawValue)
    }

    private enum CodingKeys: String, CodingKey {
        case ord, id, command, maxRetries = "max_retries", priority, runAt = "run_at", timeout, queue, state
        case attempts, exitCode = "exit_code", lastError = "last_error", createdAt = "created_at"
        case updatedAt = "updated_at", startedAt = "started_at", finishedAt = "finished_at", worker
        case timeoutFromConfig = "timeout_from_config", noRetryExitCodes = "no_retry_exit_codes"
        case uniqueKey = "unique_key", after
    }

    /// The batch as the JSON array the enqueue statement takes.
    static func json(_ jobs: [Job]) throws(QueueError) -> String {
        let rows = jobs.enumerated().map { PostgresJobRow($0.element, ord: $0.offset) }
        do {
            return String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        } catch {
            throw .operationFailed("cannot encode jobs for PostgreSQL: \(error)")
        }
    }
}
