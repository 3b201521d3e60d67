import Foundation

/// How one run of a job's command ended.
public enum RunOutcome: Sendable, Equatable {
    /// Exited with status 0.
    case succeeded
    /// Exited with a non-zero status.
    case exited(Int32)
    /// Killed by a signal it did not ask for.
    case signalled(Int32)
    /// Ran longer than its timeout; the whole process group was killed.
    case timedOut(seconds: Int)
    /// The command could not be started.
    case spawnFailed(String)
    /// Its worker vanished (killed, host lost) and the lease lapsed.
    case workerLost
    /// The process ended but its exit status could not be read (`waitpid` failed): counted as a failure,
    /// never as a success.
    case exitStatusUnknown
    /// Stopped by its worker because a person cancelled the job (`cancel`): SIGTERM to its group, SIGKILL
    /// after the grace. Whatever the process exited with afterwards, the job ends `cancelled`.
    case cancelled

    /// Whether the run counts as a success.
    public var succeeded: Bool { self == .succeeded }

    /// The exit status recorded as `exit_code`: the process's own status, or 128+signal as shells report it.
    public var exitCode: Int32? {
        switch self {
        case .succeeded: 0
        case .exited(let code): code
        case .signalled(let signal): 128 + signal
        case .timedOut, .spawnFailed, .workerLost, .exitStatusUnknown, .cancelled: nil
        }
    }

    /// The short text recorded as `last_error`; nil for a success.
    public var errorDescription: String? {
        switch self {
        case .succeeded: nil
        case .exited(let code): "exited with code \(code)"
        case .signalled(let signal): "killed by signal \(signal)\(Self.signalName(signal).map { " (\($0))" } ?? "")"
        case .timedOut(let seconds): "timed out after \(seconds)s"
        case .spawnFailed(let reason): "could not start: \(reason)"
        case .workerLost: "worker lost"
        case .exitStatusUnknown: "exit status unknown"
        case .cancelled: Self.cancelledError
        }
    }

    /// `last_error` of a cancelled job.
    public static let cancelledError = "cancelled"

    private static func signalName(_ signal: Int32) -> String? {
        switch signal {
        case SIGHUP: "SIGHUP"
        case SIGINT: "SIGINT"
        case SIGQUIT: "SIGQUIT"
        case SIGABRT: "SIGABRT"
        case SIGKILL: "SIGKILL"
        case SIGSEGV: "SIGSEGV"
        case SIGPIPE: "SIGPIPE"
        case SIGTERM: "SIGTERM"
        default: nil
        }
    }
}

/// What the store writes when a run ends: decided by the core from the outcome and the retry policy.
public struct RunResult: Sendable, Equatable {
    /// The state the job moves to, and when it is due again.
    public var disposition: Disposition
    /// `exit_code` to record (nil when no process status exists).
    public var exitCode: Int32?
    /// `last_error` to record (nil on success).
    public var lastError: String?
    /// When the run ended.
    public var finishedAt: Date
    /// The run as the run counters see it (see `RunMetrics`), added to them in the same transaction when the job
    /// ends as `disposition` says; nil: the counters are left as they are.
    public var tally: RunTally?
    /// The run to count instead when the job ends `cancelled` because a cancel request won over a retry or a
    /// snooze (`yieldsToCancelRequest`): a cancelled run, so the run counts once, as what the store actually
    /// wrote. Nil when the result never yields.
    public var cancelledTally: RunTally?
    /// `tally`'s counter increments.
    public var counterIncrements: [String: Double] { tally.map(RunMetrics.increments(of:)) ?? [:] }
    /// `cancelledTally`'s counter increments.
    public var cancelledCounterIncrements: [String: Double] { cancelledTally.map(RunMetrics.increments(of:)) ?? [:] }
    /// The end of the run's output that a store keeping logs (`JobLogStore`) does not have yet: it appends
    /// it to the job's stored log in the same write as the result, so whoever sees the job finished finds
    /// its whole output. Workers send at most one bounded chunk here (the output before it is appended first),
    /// so a flood never makes one write hold it all. Stores whose logs are the host's files ignore it.
    public var logTail: [UInt8] = []
    /// The header and end line of a run that wrote no output, so created no log file (see `LogMark`): the store
    /// writes them in the same write as the result, after `logTail` in a store that keeps logs, as a mark in one
    /// that keeps marks (`JobLogMarkStore`). Nil for a run whose lines are in its log file.
    public var silentRunLog: LogMark?

    /// Whether the job ends `cancelled` instead (state `cancelled`, `last_error` `RunOutcome.cancelledError`,
    /// `run_at`, `attempts` and `snoozes` left as they are) when a cancel request for this run is stored by the
    /// time the result is written: true for a run that would be run again (a retry or a snooze), so a run
    /// that failed on its own in the instant between `cancel` and its worker's signal is never retried. A
    /// success, a last failure (`dead`) and a cancelled run keep their end, as the contract says. The store
    /// picks between the two ends in the statement that writes the result, under the claim's guard.
    public var yieldsToCancelRequest: Bool { disposition.dueAgainAt != nil }

    public init(
        disposition: Disposition, exitCode: Int32?, lastError: String?, finishedAt: Date,
        tally: RunTally? = nil
    ) {
        self.disposition = disposition
        self.exitCode = exitCode
        self.lastError = lastError
        self.finishedAt = finishedAt
        self.tally = tally
    }

    /// Applies the retry rules to a run of `job` (as claimed) that ended with `outcome` at `now`; the run's
    /// duration is taken as `now - job.startedAt` (both instants from one clock: tests and fixtures).
    public init(job: Job, outcome: RunOutcome, policy: RetryPolicy, now: Date) {
        self.init(
            job: job, outcome: outcome, policy: policy, now: now,
            runDuration: job.startedAt.map { now.timeIntervalSince($0) })
    }

    /// Applies the retry rules to a run of `job` (as claimed) that ended with `outcome` at `now` after
    /// `runDuration` seconds, as the worker measured it with a monotonic clock (nil: unknown, as for a
    /// lost run; no duration sample). Workers pass it because `job.startedAt` may come from another
    /// clock (the PostgreSQL server's).
    public init(job: Job, outcome: RunOutcome, policy: RetryPolicy, now: Date, runDuration: TimeInterval?) {
        let disposition = policy.disposition(of: job, outcome: outcome, now: now)
        let lastError = policy.verdict(on: outcome, of: job).errorDescription ?? outcome.errorDescription
        self.init(
            disposition: disposition, exitCode: outcome.exitCode, lastError: lastError, finishedAt: now,
            tally: RunTally(job: job, disposition: disposition, runDuration: runDuration))
        if yieldsToCancelRequest {
            cancelledTally = RunTally(job: job, disposition: .cancelled, runDuration: runDuration)
        }
    }
}
