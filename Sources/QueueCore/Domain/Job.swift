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
    /// While this job waits or runs, no other job with the same key can be enqueued (nil: no key).
    public var uniqueKey: String?
    /// The jobs this one waits for (`--after`, full ids in the order given): it is not claimed until every one
    /// of them is completed, and is cancelled when one ends dead or cancelled or is removed first. Empty: none.
    public var after: [JobID]

    /// The name of the queue jobs go to when they name none.
    public static let defaultQueue = "default"

    public init(
        id: JobID, command: String, maxRetries: Int, priority: Int = 0, runAt: Date, timeout: Int = 0,
        queue: String = Job.defaultQueue, state: JobState = .pending, attempts: Int = 0, exitCode: Int32? = nil,
        lastError: String? = nil, createdAt: Date, updatedAt: Date? = nil, startedAt: Date? = nil,
        finishedAt: Date? = nil, worker: String? = nil, lastWorker: String? = nil, timeoutFromConfig: Bool = false,
        noRetryExitCodes: [Int32] = [], snoozes: Int = 0, uniqueKey: String? = nil, after: [JobID] = []
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
        self.uniqueKey = uniqueKey
        self.after = after
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
