import Foundation

/// The contract's JSON form of a worker (`worker list --json`).
public struct WorkerDocument: Encodable, Sendable {
    public let worker: WorkerRecord
    public let state: String

    public init(worker: WorkerRecord, now: Date, leaseTimeout: TimeInterval) {
        self.worker = worker
        self.state = worker.state(now: now, leaseTimeout: leaseTimeout)
    }

    private enum CodingKeys: String, CodingKey {
        case id, pid, host, state, queues, job, startedAt = "started_at", heartbeatAt = "heartbeat_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(worker.id, forKey: .id)
        try container.encode(worker.pid, forKey: .pid)
        try container.encode(worker.host, forKey: .host)
        try container.encode(state, forKey: .state)
        try container.encode(worker.queues, forKey: .queues)
        try container.encode(worker.job?.rawValue, forKey: .job)
        try container.encode(Timestamp.format(worker.startedAt), forKey: .startedAt)
        try container.encode(Timestamp.format(worker.heartbeatAt), forKey: .heartbeatAt)
    }
}
