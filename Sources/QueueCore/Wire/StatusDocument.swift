/// The contract's JSON form of the queue's counts (`status --json`, `GET /api/status`): one member per job
/// state, in `JobState`'s order, then `workers` (those holding a live lease):
/// `{"pending":0,"processing":0,"completed":0,"failed":0,"dead":0,"workers":0}`.
public struct StatusDocument: Encodable, Sendable {
    /// The counts to render.
    public let counts: QueueCounts

    public init(counts: QueueCounts) {
        self.counts = counts
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DocumentKey.self)
        for state in JobState.allCases {
            try container.encode(counts[state], forKey: DocumentKey(state.rawValue))
        }
        try container.encode(counts.workers, forKey: DocumentKey("workers"))
    }
}
