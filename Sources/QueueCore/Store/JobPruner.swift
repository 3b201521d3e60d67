import Foundation

/// Deletes the finished jobs a `PurgeSelection` picks, with their logs, in short transactions of at most
/// `batchSize` jobs: `purge` and retention both go through it. Between two full batches it pauses as long as
/// the last one took (within `pauseRange`), so writers that queued behind a batch (SQLite's write lock: a
/// worker's claim) get their turn before the next one; a large backlog is worked off at about half speed
/// rather than in one long hold of the lock.
public struct JobPruner: Sendable {
    /// The store to delete from.
    public let store: any JobControlStore
    /// The home whose `logs/` holds the jobs' log files (nil: delete no files).
    public let home: QueueHome?
    /// The most jobs one transaction deletes.
    public let batchSize: Int
    /// The shortest and the longest pause between two batches.
    public let pauseRange: ClosedRange<Duration>

    public init(
        store: any JobControlStore, home: QueueHome?, batchSize: Int = RetentionPolicy.batchSize,
        pauseRange: ClosedRange<Duration> = .milliseconds(1) ... .milliseconds(100)
    ) {
        self.store = store
        self.home = home
        self.batchSize = max(batchSize, 1)
        self.pauseRange = pauseRange
    }

    /// Deletes every job `selection` picks at `now` (so jobs finishing meanwhile are left alone) and returns
    /// how many; `deleted` hears each batch's ids after its transaction committed and its log files are gone.
    /// Stops between batches when the task is cancelled (a worker shutting down), throwing `CancellationError`.
    @discardableResult
    public func prune(
        _ selection: PurgeSelection, now: Date, deleted: (_ ids: [JobID]) -> Void = { _ in }
    ) async throws -> Int {
        let clock = ContinuousClock()
        var total = 0
        while true {
            try Task.checkCancellation()
            let started = clock.now
            let batch = try await store.purgeJobs(selection, now: now, limit: batchSize)
            let took = clock.now - started
            home?.removeLogs(of: batch)
            total += batch.count
            deleted(batch)
            guard batch.count == batchSize else { return total }
            try await Task.sleep(for: min(max(took, pauseRange.lowerBound), pauseRange.upperBound))
        }
    }
}
