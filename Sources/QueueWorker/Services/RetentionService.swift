import Foundation
import Logging
import QueueCore
import ServiceLifecycle

/// Deletes finished jobs older than their state's retention (`retention_completed`, `retention_cancelled`,
/// `retention_dead`; 0 keeps them forever) with their logs. Every `interval` it reads the configuration and,
/// when something is to be pruned, takes the store's retention turn (`JobControlStore.takeTurn`): of all
/// the worker processes sharing the store, on every host, one prunes per interval. Two that prune at once
/// (one's turn outlasting the interval) only share the work. Deletes in batches (`JobPruner`), so claims
/// wait at most one batch.
///
/// Log files are deleted from this host's home; a job run on another host sharing a PostgreSQL store keeps
/// its file there (the store's copy of its log is deleted with the job).
public struct RetentionService: Service {
    /// The name of the store's turn (`takeTurn(of:)`).
    public static let task = "retention"

    /// The store to prune.
    public let store: any JobStore
    /// This host's data directory, whose `logs/` holds the jobs' log files.
    public let home: QueueHome
    /// The clock retention ages are measured by.
    public let clock: any TimeSource
    /// How often to look (about once a minute in production; tests pass less).
    public let interval: Duration
    /// The most jobs one transaction deletes.
    public let batchSize: Int
    /// Where prunes are reported.
    public let logger: Logger

    public init(
        store: any JobStore, home: QueueHome, clock: any TimeSource, interval: Duration = .seconds(60),
        batchSize: Int = RetentionPolicy.batchSize, logger: Logger
    ) {
        self.store = store
        self.home = home
        self.clock = clock
        self.interval = interval
        self.batchSize = batchSize
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            // A graceful shutdown cancels a prune between two batches instead of waiting for the backlog.
            await cancelWhenGracefulShutdown { _ = await pruneOnce() }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    /// One pass: when the configuration prunes anything and this process gets the store's turn, deletes what
    /// is due. Returns how many jobs it deleted (0 when it did not get the turn). Failures are logged.
    @discardableResult
    public func pruneOnce() async -> Int {
        do {
            return try await prune()
        } catch is CancellationError {
            return 0
        } catch {
            logger.warning("pruning finished jobs failed: \(error)")
            return 0
        }
    }

    private func prune() async throws -> Int {
        guard let store = store as? any JobControlStore else { return 0 }
        let policy = RetentionPolicy(try await store.configuration())
        guard !policy.keepsEverything else { return 0 }
        // A little less than the interval, so this process's next look is not refused for a few milliseconds.
        let turn = Double(interval.components.seconds) * 0.9
            + Double(interval.components.attoseconds) / 1e18 * 0.9
        let now = clock.now()
        guard try await store.takeTurn(of: Self.task, now: now, interval: turn) else { return 0 }
        let pruner = JobPruner(store: store, home: home, batchSize: batchSize)
        var total = 0
        for selection in policy.selections {
            let deleted = try await pruner.prune(selection, now: now)
            if deleted > 0 {
                let states = selection.orderedStates.map(\.rawValue).joined(separator: ", ")
                logger.notice("retention deleted \(deleted) \(states) job\(deleted == 1 ? "" : "s")")
            }
            total += deleted
        }
        return total
    }
}
