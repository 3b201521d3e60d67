import Foundation

/// Decides what happens to a job after a failed run. Pure: the caller supplies the time.
public struct RetryPolicy: Sendable, Equatable {
    /// Delay base in seconds.
    public var base: Double
    /// Cap on one delay, in seconds.
    public var maximum: Double

    public init(base: Double, maximum: Double) {
        self.base = base
        self.maximum = maximum
    }

    /// The policy the configuration describes.
    public init(_ config: QueueConfig) {
        self.init(base: config.backoffBase, maximum: config.backoffMax)
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
}

/// Where a finished run sends its job.
public enum Disposition: Sendable, Equatable {
    /// Exited 0.
    case completed
    /// Failed; due again at the given instant.
    case retry(at: Date)
    /// Failed for the last time.
    case dead

    /// The state the job lands in.
    public var state: JobState {
        switch self {
        case .completed: .completed
        case .retry: .failed
        case .dead: .dead
        }
    }
}
