/// One queue as `queue list` shows it: its jobs per state and its stored settings. A queue exists while it has
/// jobs or settings (a pause or a limit set before its first job is kept for it).
public struct QueueRecord: Sendable, Equatable {
    /// The queue's name.
    public var name: String
    /// Its jobs per state (`workers` unused: 0).
    public var counts: QueueCounts
    /// Whether workers claim nothing from it (`queue pause`).
    public var paused: Bool
    /// At most this many of its jobs processing at once over every worker and host; 0: no limit.
    public var limit: Int

    public init(name: String, counts: QueueCounts = QueueCounts(), paused: Bool = false, limit: Int = 0) {
        self.name = name
        self.counts = counts
        self.paused = paused
        self.limit = limit
    }
}
