import Foundation
import Synchronization

/// Where the core reads the time. Production uses the system clock; tests move a manual one.
public protocol TimeSource: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The wall clock.
public struct SystemTimeSource: TimeSource {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to, for exact backoff and lease tests.
public final class ManualTimeSource: TimeSource {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
