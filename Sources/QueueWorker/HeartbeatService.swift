import Foundation
import Logging
import QueueCore
import ServiceLifecycle

/// Renews the workers' lease, at least every `lease_timeout / 3` (and at least every second, so
/// stop requests that travel through the store arrive quickly), re-reads the configuration so
/// `config set` reaches running workers, and passes drain/abort requests to the claim loop.
public struct HeartbeatService: Service {
    /// The store holding the leases.
    public let store: any JobStore
    /// Who these workers are.
    public let settings: WorkerSettings
    /// Shared with the claim loop.
    public let control: WorkerControl
    /// The clock for heartbeats.
    public let clock: any TimeSource
    /// Where problems are reported.
    public let logger: Logger

    public init(
        store: any JobStore, settings: WorkerSettings, control: WorkerControl, clock: any TimeSource, logger: Logger
    ) {
        self.store = store
        self.settings = settings
        self.control = control
        self.clock = clock
        self.logger = logger
    }

    /// Seconds between heartbeats for a lease of `leaseTimeout` seconds.
    public static func interval(leaseTimeout: Int) -> Double {
        min(Double(leaseTimeout) / 3, 1)
    }

    public func run() async throws {
        // Runs until the group shuts it down (after the workers deregistered): returning early would
        // count as an unexpected end during the group's graceful shutdown.
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await beat()
            let interval = Self.interval(leaseTimeout: control.configuration.leaseTimeout)
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int64(interval * 1000))) }
            } catch {
                return
            }
        }
    }

    /// One heartbeat and configuration read.
    public func beat() async {
        guard !control.isFinished else { return }
        do {
            let command = try await store.heartbeat(settings.workerIDs, now: clock.now())
            control.apply(command)
            control.update(configuration: try await store.configuration())
        } catch {
            logger.warning("heartbeat failed: \(error)")
        }
    }
}
