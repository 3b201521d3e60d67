/// What retention prunes, decided from the configuration: for each finished state whose retention is not 0
/// (`retention_completed`, `retention_cancelled`, `retention_dead`), the jobs in it older than that many
/// seconds. Pure: the worker's `RetentionService` runs what it says, the store deletes.
public struct RetentionPolicy: Sendable, Equatable {
    /// The selections to prune, one per finished state kept for a limited time, in state order.
    public let selections: [PurgeSelection]

    /// The most jobs one prune transaction deletes, so a large backlog never holds the write lock (SQLite) or
    /// many row locks (PostgreSQL) for long: claims wait at most one such batch.
    public static let batchSize = 1_000

    /// The policy `config` describes.
    public init(_ config: QueueConfig) {
        selections = JobState.allCases.compactMap { state in
            guard let seconds = config.retention(of: state) else { return nil }
            return try? PurgeSelection(states: [state], olderThan: Double(seconds))
        }
    }

    /// Whether there is nothing to prune (every finished state is kept forever).
    public var keepsEverything: Bool { selections.isEmpty }
}
