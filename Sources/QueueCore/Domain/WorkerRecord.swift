import Foundation

/// A registered worker as `worker list` shows it.
public struct WorkerRecord: Sendable, Equatable {
    public var id: String
    public var pid: Int32
    public var host: String
    /// The host identity it registered with (see `WorkerRegistration.hostID`).
    public var hostID: String
    public var processStart: Int64
    public var queues: [String]
    /// The job it is running, if any.
    public var job: JobID?
    public var startedAt: Date
    public var heartbeatAt: Date
    /// What it has been asked to do.
    public var command: WorkerCommand

    public init(
        id: String, pid: Int32, host: String, processStart: Int64, queues: [String], job: JobID?, startedAt: Date,
        heartbeatAt: Date, command: WorkerCommand, hostID: String? = nil
    ) {
        self.id = id
        self.pid = pid
        self.host = host
        self.hostID = hostID ?? host
        self.processStart = processStart
        self.queues = queues
        self.job = job
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.command = command
    }

    /// Whether its lease still holds at `now`: its last heartbeat is at most `leaseTimeout` old (`WorkerLease`,
    /// the one liveness rule, whose cut-off the stores apply in SQL).
    public func isLive(at now: Date, leaseTimeout: TimeInterval) -> Bool {
        WorkerLease(timeout: leaseTimeout).isLive(heartbeat: heartbeatAt, at: now)
    }

    /// The state shown to users: `lost` once the lease lapsed, else `stopping`, `busy` or `idle`.
    public func state(now: Date, leaseTimeout: TimeInterval) -> String {
        if !isLive(at: now, leaseTimeout: leaseTimeout) { return "lost" }
        if command != .run { return "stopping" }
        return job == nil ? "idle" : "busy"
    }
}
