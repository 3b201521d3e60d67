import Foundation

/// The one liveness rule, as every reader applies it: a worker is live at `now` while its last heartbeat is
/// at most `timeout` old (at or after `now - timeout`, in the whole milliseconds the stores keep). Its lease has
/// lapsed once the heartbeat is older: its runs count as lost. `WorkerRecord.isLive` and the stores'
/// statements (`JobStore.counts`, `jobsOfLostWorkers`, `recordLostRun`) all take their cut-off from here.
public struct WorkerLease: Sendable, Equatable {
    /// How long a heartbeat keeps a worker live, in seconds (`lease_timeout`).
    public var timeout: TimeInterval

    public init(timeout: TimeInterval) {
        self.timeout = timeout
    }

    /// The timeout in whole milliseconds (rounded), as a store compares it with its stored heartbeats.
    public var milliseconds: Int64 { Int64((timeout * 1000).rounded()) }

    /// The earliest heartbeat (milliseconds since 1970) that is still live at `now` (milliseconds since 1970).
    public func liveSince(now: Int64) -> Int64 { now - milliseconds }

    /// `liveSince(now:)` for an instant.
    public func liveSince(_ now: Date) -> Int64 { liveSince(now: Timestamp.milliseconds(now)) }

    /// Whether a worker whose last heartbeat was at `heartbeat` is live at `now`.
    public func isLive(heartbeat: Date, at now: Date) -> Bool {
        Timestamp.milliseconds(heartbeat) >= liveSince(now)
    }
}
