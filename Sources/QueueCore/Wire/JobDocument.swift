import Foundation

/// The contract's JSON form of a job (`--json`, the dashboard API): every field, nulls included,
/// in a fixed order, plus the path of its log file, then the additions: `last_worker` (the worker that
/// claimed its latest run), `duration` (seconds its latest finished run took, or null), then the contract's
/// exit-code fields `no_retry_exit_codes` (an array, `[]` when none), `snoozes` and `unique_key` (null when none),
/// and `after` (the ids of the jobs it waits for, an array, `[]` when none).
public struct JobDocument: Encodable, Sendable {
    /// The job to render.
    public let job: Job
    /// The path of the job's log file.
    public let log: String

    public init(job: Job, home: QueueHome) {
        self.job = job
        self.log = home.logFile(for: job.id)
    }

    private enum CodingKeys: String, CodingKey {
        case id, command, maxRetries = "max_retries", priority, runAt = "run_at", timeout, queue, state, attempts
        case exitCode = "exit_code", lastError = "last_error", createdAt = "created_at", updatedAt = "updated_at"
        case startedAt = "started_at", finishedAt = "finished_at", worker, log
        case lastWorker = "last_worker", duration, noRetryExitCodes = "no_retry_exit_codes", snoozes
        case uniqueKey = "unique_key", after
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(job.id.rawValue, forKey: .id)
        try container.encode(job.command, forKey: .command)
        try container.encode(job.maxRetries, forKey: .maxRetries)
        try container.encode(job.priority, forKey: .priority)
        try container.encode(Timestamp.format(job.runAt), forKey: .runAt)
        try container.encode(job.timeout, forKey: .timeout)
        try container.encode(job.queue, forKey: .queue)
        try container.encode(job.state.rawValue, forKey: .state)
        try container.encode(job.attempts, forKey: .attempts)
        try container.encode(job.exitCode, forKey: .exitCode)
        try container.encode(job.lastError, forKey: .lastError)
        try container.encode(Timestamp.format(job.createdAt), forKey: .createdAt)
        try container.encode(Timestamp.format(job.updatedAt), forKey: .updatedAt)
        try container.encode(job.startedAt.map(Timestamp.format), forKey: .startedAt)
        try container.encode(job.finishedAt.map(Timestamp.format), forKey: .finishedAt)
        try container.encode(job.worker, forKey: .worker)
        try container.encode(log, forKey: .log)
        // Additions to the contract's fields, after them: who ran the latest run, and for how many seconds.
        try container.encode(job.lastWorker, forKey: .lastWorker)
        try container.encode(job.lastRunDuration.map { ($0 * 1000).rounded() / 1000 }, forKey: .duration)
        try container.encode(job.noRetryExitCodes, forKey: .noRetryExitCodes)
        try container.encode(job.snoozes, forKey: .snoozes)
        try container.encode(job.uniqueKey, forKey: .uniqueKey)
        try container.encode(job.after.map(\.rawValue), forKey: .after)
    }
}
