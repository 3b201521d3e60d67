/// The contract's JSON form of a queue (`queue list --json`, `GET /api/queues`):
/// {"queue","pending","processing","completed","failed","dead","cancelled","paused","limit"}.
public struct QueueDocument: Encodable, Sendable, Equatable {
    /// The queue it describes.
    public let queue: QueueRecord

    public init(queue: QueueRecord) {
        self.queue = queue
    }

    private enum CodingKeys: String, CodingKey {
        case queue, pending, processing, completed, failed, dead, cancelled, paused, limit
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(queue.name, forKey: .queue)
        try container.encode(queue.counts.pending, forKey: .pending)
        try container.encode(queue.counts.processing, forKey: .processing)
        try container.encode(queue.counts.completed, forKey: .completed)
        try container.encode(queue.counts.failed, forKey: .failed)
        try container.encode(queue.counts.dead, forKey: .dead)
        try container.encode(queue.counts.cancelled, forKey: .cancelled)
        try container.encode(queue.paused, forKey: .paused)
        try container.encode(queue.limit, forKey: .limit)
    }
}
