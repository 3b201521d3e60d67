import Foundation

/// A job: a shell command the queue runs, with its schedule, retry budget and run history.
public struct Job: Sendable, Equatable {
    /// Unique name; also names the log file.
    public var id: JobID
    /// Run with `/bin/sh -c`.
    public var command: String
    /// Retries after the first run (resolved: the job's own or the config default at enqueue).
    public var maxRetries: Int
    /// Higher runs first.
    public var priority: Int
    /// Not run before this instant; after a failed run, when the next run is due.
    public var runAt: Date
    /// Seconds a run may take; 0 means no limit.
    public var timeout: Int
    /// Whether `timeout` is the `job_timeout` default because the job named none (a worker started with
    /// `--timeout` applies its own instead).
    public var timeoutFromConfig: Bool
    /// The queue the job belongs to.
    public var queue: String
    /// Where the job is in its life cycle.
    public var state: JobState
    /// Runs started so far; also the fencing token of the current run.
    public var attempts: Int
    /// Exit status of the last finished run.
    public var exitCode: Int32?
    /// Why the last run failed.
    public var lastError: String?
    /// When it was enqueued.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// When its latest run started.
    public var startedAt: Date?
    /// When its latest run ended.
    public var finishedAt: Date?
    /// The worker holding it while `processing`.
    public var worker: String?
    /// The worker that claimed its latest run (kept after the run ends; nil before the first run).
    public var lastWorker: String?
    /// Exit codes after which this job goes straight to `dead` (besides the configuration's); sorted, no repeats.
    public var noRetryExitCodes: [Int32]
    /// Runs that were snoozed (exited with `snooze_exit_code`): not counted in `attempts`.
    public var snoozes: Int

    /// The name of the queue jobs go to when they name none.
    public static let defaultQueue = "default"

    public init(
        id: JobID, command: String, maxRetries: Int, priority: Int = 0, runAt: Date, timeout: Int = 0,
        queue: String = Job.defaultQueue, state: JobState = .pending, attempts: Int = 0, exitCode: Int32? = nil,
        lastError: String? = nil, createdAt: Date, updatedAt: Date? = nil, startedAt: Date? = nil,
        finishedAt: Date? = nil, worker: String? = nil, lastWorker: String? = nil, timeoutFromConfig: Bool = false,
        noRetryExitCodes: [Int32] = [], snoozes: Int = 0
    ) {
        self.id = id
        self.command = command
        self.maxRetries = maxRetries
        self.priority = priority
        self.runAt = runAt
        self.timeout = timeout
        self.queue = queue
        self.state = state
        self.attempts = attempts
        self.exitCode = exitCode
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.worker = worker
        self.lastWorker = lastWorker
        self.timeoutFromConfig = timeoutFromConfig
        self.noRetryExitCodes = noRetryExitCodes
        self.snoozes = snoozes
    }

    /// The timeout a worker applies to a run: the job's own; for a job that named none, the worker's
    /// `workerDefault` (`worker start --timeout`) when it has one, else the configured default it was given.
    public func timeout(workerDefault: Int?) -> Int {
        guard timeoutFromConfig, let workerDefault else { return timeout }
        return workerDefault
    }

    /// How long its latest run took, once that run has ended (nil before the first run and while one runs).
    public var lastRunDuration: TimeInterval? {
        guard let startedAt, let finishedAt, finishedAt >= startedAt else { return nil }
        return finishedAt.timeIntervalSince(startedAt)
    }
}

/// The contract's JSON form of a job (`--json`, the dashboard API): every field, nulls included,
/// in a fixed order, plus the path of its log file, then the additions: `last_worker` (the worker that
/// claimed its latest run), `duration` (seconds its latest finished run took, or null), then the contract's
/// exit-code fields `no_retry_exit_codes` (an array, `[]` when none) and `snoozes`.
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
    }
}
