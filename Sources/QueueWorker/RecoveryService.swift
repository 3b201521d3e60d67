import Foundation
import Logging
import QueueCore
import ServiceLifecycle

/// Recovers jobs whose worker is lost: every `lease_timeout / 3` (at most every 2 s) it
/// deregisters this host's workers whose process is gone (checked by pid *and* start time, and
/// not a zombie), kills processes those runs left behind, and records each job of a lost worker
/// as a failed run ("worker lost") through the retry rules, with a guarded write, so a run that
/// is in fact still alive can never overwrite the outcome later.
public struct RecoveryService: Service {
    /// The store holding jobs and workers.
    public let store: any JobStore
    /// Who these workers are (for the host name).
    public let settings: WorkerSettings
    /// Shared state (configuration).
    public let control: WorkerControl
    /// The clock for leases and retry times.
    public let clock: any TimeSource
    /// Where recoveries are reported.
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

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            _ = await recoverOnce()
            let interval = min(Double(control.configuration.leaseTimeout) / 3, 2)
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int64(interval * 1000))) }
            } catch {
                return
            }
        }
    }

    /// One recovery pass; returns the ids of jobs it recovered.
    @discardableResult
    public func recoverOnce() async -> [JobID] {
        do {
            return try await recover()
        } catch {
            logger.warning("recovering lost jobs failed: \(error)")
            return []
        }
    }

    private func recover() async throws -> [JobID] {
        let config = control.configuration
        let gone = try await store.workers().filter { record in
            record.host == settings.host && record.pid != settings.process.pid
                && !ProcessIdentity(pid: record.pid, startTime: record.processStart).isAlive
        }
        if !gone.isEmpty {
            let ids = gone.map(\.id)
            JobProcessSweeper.killProcesses(ofWorkers: Set(ids))
            try await store.deregisterWorkers(ids)
            logger.notice("deregistered workers whose process is gone: \(ids.joined(separator: ", "))")
        }
        let now = clock.now()
        let lost = try await store.jobsOfLostWorkers(now: now, leaseTimeout: TimeInterval(config.leaseTimeout))
        guard !lost.isEmpty else { return [] }
        let runs = Set(lost.map { JobProcessSweeper.Run(jobID: $0.id.rawValue, attempt: String($0.attempts)) })
        JobProcessSweeper.killProcesses(ofWorkers: [], runs: runs)
        var recovered: [JobID] = []
        for job in lost {
            guard let claim = JobClaim(job) else { continue }
            let result = RunResult(job: job, outcome: .workerLost, policy: RetryPolicy(config), now: clock.now())
            if try await store.recordResult(result, of: claim) {
                recovered.append(job.id)
                logger.notice("recovered job \(job.id) (attempt \(claim.attempt)) from lost worker \(claim.worker)")
            }
        }
        if !recovered.isEmpty { control.wake.notify() }
        return recovered
    }
}
