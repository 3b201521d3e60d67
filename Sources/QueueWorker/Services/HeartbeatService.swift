import Foundation
import Logging
import QueueCore
import ServiceLifecycle

/// Renews the workers' lease, at least every `lease_timeout / 3` (and at least every second, so
/// stop requests that travel through the store arrive quickly), re-reads the configuration so
/// `config set` reaches running workers, passes drain/abort requests to the claim loop and cancel
/// requests to the runs they name (the fallback for a missed wake-up).
///
/// It also keeps the worker honest about its lease:
/// - a renewal that finds a worker's row missing (someone deregistered it) registers it again instead
///   of carrying on as if nothing happened (its jobs would count as lost meanwhile);
/// - a renewal reports the runs the store still credits to these workers: a local run it no longer
///   credits (recovered meanwhile, maybe already running elsewhere) is killed;
/// - each renewal has a deadline, and when no renewal got through for `lease_timeout` the worker
///   fences itself: it kills its running jobs (another host will recover them) and claims nothing
///   until a renewal succeeds again.
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

    /// How long one renewal may take before it counts as failed: a third of the lease, between 1 s and 10 s.
    public static func deadline(leaseTimeout: Int) -> Duration {
        .milliseconds(Int64(min(max(Double(leaseTimeout) / 3, 1), 10) * 1000))
    }

    public func run() async throws {
        // Runs until the group shuts it down (after the workers deregistered): returning early would
        // count as an unexpected end during the group's graceful shutdown.
        await withDiscardingTaskGroup { group in
            group.addTask { await watchLease() }
            var failures = 0
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                failures = await beat(failuresSoFar: failures)
                let interval = Self.interval(leaseTimeout: control.configuration.leaseTimeout)
                do {
                    try await cancelWhenGracefulShutdown {
                        try await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
                    }
                } catch {
                    break
                }
            }
            group.cancelAll()
        }
    }

    /// One heartbeat and configuration read.
    public func beat() async {
        _ = await beat(failuresSoFar: 0)
    }

    /// One heartbeat; returns the number of consecutive failures after it (0 on success).
    private func beat(failuresSoFar: Int) async -> Int {
        guard !control.isFinished else { return 0 }
        let sent = ContinuousClock.now
        let knownRuns = control.runSequence
        let store = store
        let ids = settings.workerIDs
        let now = clock.now()
        do {
            let renewal = try await Deadline.run(
                within: Self.deadline(leaseTimeout: control.configuration.leaseTimeout)
            ) {
                try await store.renewLeases(ids, now: now)
            }
            if failuresSoFar > 0 { logger.notice("heartbeat works again after \(failuresSoFar) failed tries") }
            control.leaseRenewed(at: sent)
            try await reregisterMissing(renewal)
            fenceRunsNoLongerHeld(renewal, registeredUpTo: knownRuns)
            control.apply(renewal.command)
            await control.stopCancelledRuns(in: store, logger: logger)
            control.update(configuration: try await store.configuration())
            return 0
        } catch {
            let failures = failuresSoFar + 1
            // The first failure, then ever more rarely: a store that stays down must not flood the log.
            if failures & (failures - 1) == 0 { logger.warning("heartbeat failed (\(failures) in a row): \(error)") }
            return failures
        }
    }

    /// Registers again the workers whose row vanished, while they are still meant to run.
    private func reregisterMissing(_ renewal: LeaseRenewal) async throws {
        let missing = settings.registrations.filter { !renewal.registered.contains($0.id) }
        guard !missing.isEmpty, control.mode == .run else { return }
        logger.warning(
            "workers \(missing.map(\.id).joined(separator: ", ")) were deregistered by someone else; registering them again")
        try await store.registerWorkers(missing, now: clock.now())
    }

    /// Kills local runs that the store no longer credits to these workers. Only runs registered before the
    /// renewal was sent are judged: a claim committed after the renewal's read is not in its answer.
    private func fenceRunsNoLongerHeld(_ renewal: LeaseRenewal, registeredUpTo sequence: Int) {
        for run in control.runs(registeredUpTo: sequence) where !renewal.heldRuns.contains(run.claim) {
            logger.warning(
                "job \(run.claim.jobID) attempt \(run.claim.attempt) is no longer held by \(run.claim.worker) (recovered meanwhile): killing its run")
            run.process.fence()
        }
    }

    /// Fences the workers once no renewal got through for `lease_timeout`: by then other hosts may
    /// recover the jobs, so they must not keep running here.
    private func watchLease() async {
        while !Task.isCancelled, !control.isFinished {
            let lease = Duration.seconds(control.configuration.leaseTimeout)
            let expiry = control.leaseRenewedAt.advanced(by: lease)
            let now = ContinuousClock.now
            if now >= expiry {
                if !control.isFenced {
                    let killed = control.fenceAll()
                    logger.error(
                        "no heartbeat got through for \(control.configuration.leaseTimeout) s (lease_timeout): killed \(killed.count) running job(s), which other workers will recover; claiming nothing until the store answers")
                }
                do { try await Task.sleep(for: .milliseconds(250)) } catch { return }
            } else {
                do { try await Task.sleep(for: min(expiry - now, .seconds(1))) } catch { return }
            }
        }
    }
}
