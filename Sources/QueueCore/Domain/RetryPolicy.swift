import Foundation

/// Decides what happens to a job after a run. Pure: the caller supplies the time.
///
/// Exit codes first: a run that exits with a code in `noRetryExitCodes` (the configuration's) or in the
/// job's own `no_retry_exit_codes` goes straight to `dead`; one that exits with the snooze code is snoozed
/// (not counted as an attempt, due again after the snooze delay) until the job has had `maxSnoozes`
/// snoozes, after which it counts as a failed run. A code that is both a no-retry code and the snooze code
/// is a no-retry code: listing it is the more specific statement (a job opts out of snoozing that way) and
/// the safer one (the job stops instead of running again). Only exit codes count: a signal, a timeout, a
/// failed start or a lost worker follows the backoff rules.
public struct RetryPolicy: Sendable, Equatable {
    /// Delay base in seconds.
    public var base: Double
    /// Cap on one delay, in seconds.
    public var maximum: Double
    /// Exit codes after which any job goes straight to `dead`.
    public var noRetryExitCodes: Set<Int32>
    /// The snooze rule; nil when snoozing is off.
    public var snooze: Snooze?

    /// When a run is snoozed instead of failed.
    public struct Snooze: Sendable, Equatable {
        /// The exit code that asks for a snooze (never 0).
        public var exitCode: Int32
        /// Seconds until a snoozed job is due again.
        public var delay: TimeInterval
        /// Snoozes a job may take; the next one counts as a failed run.
        public var maximum: Int

        public init(exitCode: Int32, delay: TimeInterval, maximum: Int) {
            self.exitCode = exitCode
            self.delay = delay
            self.maximum = maximum
        }
    }

    public init(base: Double, maximum: Double, noRetryExitCodes: Set<Int32> = [], snooze: Snooze? = nil) {
        self.base = base
        self.maximum = maximum
        self.noRetryExitCodes = noRetryExitCodes
        self.snooze = snooze
    }

    /// The policy the configuration describes (`snooze_exit_code` 0: no snooze rule).
    public init(_ config: QueueConfig) {
        self.init(
            base: config.backoffBase, maximum: config.backoffMax, noRetryExitCodes: Set(config.noRetryExitCodes),
            snooze: config.snoozeExitCode == 0
                ? nil
                : Snooze(
                    exitCode: config.snoozeExitCode, delay: TimeInterval(config.snoozeDelay),
                    maximum: config.maxSnoozes))
    }

    /// This policy's backoff with the exit-code rules of `other`: the end of a run is judged by the rules the
    /// run was told of when it started (`QUEUECTL_SNOOZE_EXIT_CODE`), its retry delay by the configuration
    /// as it is when the run ends.
    public func withExitCodeRules(of other: RetryPolicy) -> RetryPolicy {
        RetryPolicy(base: base, maximum: maximum, noRetryExitCodes: other.noRetryExitCodes, snooze: other.snooze)
    }

    /// Seconds to wait after the `attempts`-th failed run: `min(base ^ attempts, maximum)`.
    public func delay(afterAttempts attempts: Int) -> TimeInterval {
        let raw = pow(base, Double(max(attempts, 0)))
        return min(raw.isFinite ? raw : maximum, maximum)
    }

    /// What a failed run leads to: a retry at a later instant, or the dead letter queue once
    /// `1 + maxRetries` runs have been made.
    public func disposition(afterFailedAttempt attempts: Int, maxRetries: Int, now: Date) -> Disposition {
        if attempts >= 1 + maxRetries { return .dead }
        return .retry(at: now.addingTimeInterval(delay(afterAttempts: attempts)))
    }

    /// What the exit-code rules make of a run of `job` (as claimed) that ended with `outcome`.
    public func verdict(on outcome: RunOutcome, of job: Job) -> ExitCodeVerdict {
        guard case .exited(let code) = outcome else { return .ordinary }
        if noRetryExitCodes.contains(code) || job.noRetryExitCodes.contains(code) { return .noRetry(code) }
        guard let snooze, code == snooze.exitCode else { return .ordinary }
        if job.snoozes >= snooze.maximum { return .snoozeLimitReached(code, snoozes: job.snoozes) }
        return .snooze(code, number: job.snoozes + 1, of: snooze.maximum)
    }

    /// Where a run of `job` (as claimed) that ended with `outcome` at `now` sends the job.
    public func disposition(of job: Job, outcome: RunOutcome, now: Date) -> Disposition {
        if outcome.succeeded { return .completed }
        // A cancelled run is never retried, whatever retries or exit-code rules would say.
        if outcome == .cancelled { return .cancelled }
        switch verdict(on: outcome, of: job) {
        case .noRetry: return .dead
        case .snooze: return .snooze(until: now.addingTimeInterval(snooze?.delay ?? 0))
        case .ordinary, .snoozeLimitReached:
            return disposition(afterFailedAttempt: job.attempts, maxRetries: job.maxRetries, now: now)
        }
    }
}

/// What the exit-code rules (`no_retry_exit_codes`, `snooze_exit_code`, `max_snoozes`) make of a run's end.
public enum ExitCodeVerdict: Sendable, Equatable {
    /// No rule applies: a success, or a failure that follows the retry rules.
    case ordinary
    /// The code is a no-retry code (the configuration's or the job's): straight to `dead`.
    case noRetry(Int32)
    /// The snooze code: the run is snoozed, the `number`-th snooze of at most `of`.
    case snooze(Int32, number: Int, of: Int)
    /// The snooze code, but the job has had `snoozes` snoozes already (`max_snoozes`): a failed run.
    case snoozeLimitReached(Int32, snoozes: Int)

    /// The text recorded as `last_error` (and told in the run's log): what the run did and what it led to;
    /// nil when no rule applies.
    public var errorDescription: String? {
        switch self {
        case .ordinary: nil
        case .noRetry(let code): "exited with code \(code), which is in no_retry_exit_codes: not retried"
        case .snooze(let code, let number, let maximum):
            "exited with code \(code): snoozed (\(number) of at most \(maximum)), not counted as an attempt"
        case .snoozeLimitReached(let code, let snoozes):
            "exited with code \(code) after \(snoozes) snoozes (max_snoozes): counted as a failed run"
        }
    }
}

/// Where a finished run sends its job.
public enum Disposition: Sendable, Equatable {
    /// Exited 0.
    case completed
    /// Failed; due again at the given instant.
    case retry(at: Date)
    /// Failed for the last time.
    case dead
    /// Snoozed: back to `pending`, due at the given instant, the run not counted as an attempt (`attempts`
    /// back to what it was before the claim) and counted in `snoozes` instead.
    case snooze(until: Date)
    /// Cancelled by a person: stopped for good, not retried.
    case cancelled

    /// The state the job lands in.
    public var state: JobState {
        switch self {
        case .completed: .completed
        case .retry: .failed
        case .dead: .dead
        case .snooze: .pending
        case .cancelled: .cancelled
        }
    }

    /// When the job is due again (a retry or a snooze); nil when it is not run again.
    public var dueAgainAt: Date? {
        switch self {
        case .retry(let at), .snooze(let at): at
        case .completed, .dead, .cancelled: nil
        }
    }

    /// Whether the run is a snooze (the store gives the attempt back and adds one to `snoozes`).
    public var isSnooze: Bool {
        if case .snooze = self { return true }
        return false
    }
}
