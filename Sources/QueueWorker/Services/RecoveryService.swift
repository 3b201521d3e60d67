import Foundation
import Logging
import QueueCore
import ServiceLifecycle

/// Recovers jobs whose worker is lost: every `lease_timeout / 3` (at most every 2 s) it
/// deregisters this host's workers whose process is gone (this host judged by host identity, not
/// host name; a process by pid *and* start time, and not a zombie), kills processes those runs left
/// behind, and records each job of a lost worker as a failed run ("worker lost") through the retry
/// rules, with a write guarded by the claim and by the lease (a worker whose heartbeat came back
/// meanwhile keeps its job), so a run that is in fact still alive can never be overwritten. The recovered
/// run's log gets the end line its worker could not write (`worker lost`).
public struct RecoveryService: Service {
    /// The store holding jobs and workers.
    public let store: any JobStore
    /// Who these workers are (for the host identity).
    public let settings: WorkerSettings
    /// Shared state (configuration).
    public let control: WorkerControl
    /// This host's data directory: a recovered run's end line goes into its log file when it is here.
    public let home: QueueHome
    /// The clock for leases and retry times.
    public let clock: any TimeSource
    /// Where recoveries are reported.
    public let logger: Logger

    public init(
        store: any JobStore, settings: WorkerSettings, control: WorkerControl, home: QueueHome, clock: any TimeSource,
        logger: Logger
    ) {
        self.store = store
        self.settings = settings
        self.control = control
        self.home = home
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

    /// Before these workers register: rows that already carry one of their ids but belong to another
    /// process (a dead one whose pid this process reuses) are removed, and their jobs recovered, so
    /// registering over them cannot adopt a dead worker's jobs (which would then stay processing forever).
    public func recoverRowsReplaced(by registrations: [WorkerRegistration]) async throws {
        let mine = Dictionary(registrations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let replaced = try await store.workers().filter { record in
            guard let registration = mine[record.id] else { return false }
            return record.hostID != registration.hostID || record.pid != registration.pid
                || record.processStart != registration.processStart
        }
        guard !replaced.isEmpty else { return }
        let ids = replaced.map(\.id)
        // Their job processes, if any still run here, carry the same worker ids: nothing of ours runs yet.
        if replaced.allSatisfy(settings.isOnThisHost) { JobProcessSweeper.killProcesses(ofWorkers: Set(ids)) }
        try await store.deregisterWorkers(ids)
        logger.notice("replaced worker rows of another process: \(ids.joined(separator: ", "))")
        await recoverOnce()
    }

    private func recover() async throws -> [JobID] {
        let config = control.configuration
        let gone = try await store.workers().filter { record in
            settings.isOnThisHost(record) && record.process != settings.process && !record.process.isAlive
        }
        if !gone.isEmpty {
            let ids = gone.map(\.id)
            JobProcessSweeper.killProcesses(ofWorkers: Set(ids))
            try await store.deregisterWorkers(ids)
            logger.notice("deregistered workers whose process is gone: \(ids.joined(separator: ", "))")
        }
        let now = clock.now()
        let leaseTimeout = TimeInterval(config.leaseTimeout)
        let lost = try await store.jobsOfLostWorkers(now: now, leaseTimeout: leaseTimeout)
        guard !lost.isEmpty else { return [] }
        // The retry decision follows the configuration as stored now (a `config set` may be newer than the
        // heartbeat's copy); reading it only when there is something to recover keeps idle passes cheap.
        let policy = RetryPolicy(try await store.configuration())
        // A run whose job was cancelled while its worker was being lost ends cancelled, not retried.
        let cancelled = Set(try await store.cancelRequests(for: Array(Set(lost.compactMap(\.worker)))).map(\.claim))
        var recovered: [JobID] = []
        var sweep = Set<JobProcessSweeper.Run>()
        for job in lost {
            guard let claim = JobClaim(job) else { continue }
            let recoveredAt = clock.now()
            // The run's duration is unknown: its worker is gone.
            let result = RunResult(
                job: job, outcome: cancelled.contains(claim) ? .cancelled : .workerLost, policy: policy,
                now: recoveredAt, runDuration: nil)
            if try await store.recordLostRun(result, of: claim, now: recoveredAt, leaseTimeout: leaseTimeout) {
                recovered.append(job.id)
                sweep.insert(JobProcessSweeper.Run(jobID: job.id.rawValue, attempt: String(claim.attempt), worker: claim.worker))
                logger.notice("recovered job \(job.id) (attempt \(claim.attempt)) from lost worker \(claim.worker)")
                await markLostRun(job, claim, at: recoveredAt)
            }
        }
        // Only runs whose recovery applied: a worker whose heartbeat came back keeps its job and its processes.
        JobProcessSweeper.killProcesses(ofWorkers: [], runs: sweep)
        if !recovered.isEmpty { control.wake.notify() }
        return recovered
    }

    /// Ends the lost run in the job's log, as the run's own worker would have: in the store's copy when the
    /// store keeps logs, and in the log file when it is on this host (the lost worker ran here). A run that
    /// wrote no output has no header in the log (it would have come with its result): recovery writes one,
    /// with the run's start as the store has it, before the end line, as a mark where the store keeps marks.
    /// The job's state is already written; a log that cannot be written only loses these lines.
    private func markLostRun(_ job: Job, _ claim: JobClaim, at recoveredAt: Date) async {
        let line = RunLogLine.end(
            attempt: claim.attempt, RunLogLine.lost(worker: claim.worker, recoveredOn: WorkerHost.name), at: recoveredAt)
        let header = RunLogLine.header(attempt: claim.attempt, at: job.startedAt ?? recoveredAt, worker: claim.worker)
        let log = JobLog(store: store, home: home)
        do {
            if let logs = store as? any JobLogStore {
                let tail = try await logs.log(of: claim.jobID, .tail(RunHeader.openRunWindow)).bytes
                let lines = RunHeader.isRunOpen(atEndOf: tail) ? line.bytes(after: tail.last) : Array((header.text + line.text).utf8)
                try await logs.appendLog(lines, to: claim.jobID)
            }
            let path = home.logFile(for: claim.jobID)
            let file = JobLogFile.openExistingForAppending(path)
            defer { file?.closeDescriptor() }
            let tail = (try? JobLog.readFile(path, .tail(RunHeader.openRunWindow), of: claim.jobID))?.bytes ?? []
            if let file, RunHeader.isRunOpen(atEndOf: tail) {
                file.append(line)
            } else if !(store is any JobLogStore) {
                try await log.append(LogMark(fileOffset: file?.size ?? 0, bytes: Array((header.text + line.text).utf8)), to: claim.jobID)
            }
        } catch {
            logger.warning("writing the end of lost run \(claim.attempt) into the log of job \(claim.jobID) failed: \(error)")
        }
    }
}
