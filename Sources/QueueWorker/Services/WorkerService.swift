import Foundation
import Logging
import QueueCore
import ServiceLifecycle

/// The claim loop of one worker process: N slots, each a registered worker running one job at a
/// time. Free slots are filled by ONE `claimJobs` call; each finished run is written with one
/// guarded `recordResult`, whose outcome the core's `RetryPolicy` decided and which claims the slot's
/// next job in the same write (one write per job while there is work). Idle, it sleeps until a
/// wake-up (a run ended, the store announced new work or a stop request, a stop was requested in
/// this process), the next due time or the poll interval, whichever comes first.
///
/// Graceful shutdown (SIGTERM/SIGINT, or a `drain` from the store): no new claims, running jobs
/// finish, the workers deregister, `run()` returns. An `abort` kills running jobs and puts them
/// back as pending without counting the attempt.
public struct WorkerService: Service {
    /// How a failing store write is retried: the first pause, doubled after each failure up to `cap`.
    public struct RetryTiming: Sendable {
        /// The pause after the first failure.
        public var initial: Duration
        /// The longest pause.
        public var cap: Duration

        public init(initial: Duration, cap: Duration) {
            self.initial = initial
            self.cap = cap
        }

        /// 50 ms, doubling up to 5 s.
        public static let standard = RetryTiming(initial: .milliseconds(50), cap: .seconds(5))
    }

    /// Where jobs come from.
    public let store: any JobStore
    /// Who these workers are.
    public let settings: WorkerSettings
    /// Shared with the heartbeat and recovery services.
    public let control: WorkerControl
    /// Starts the processes.
    public let runner: JobRunner
    /// The clock for claims and results.
    public let clock: any TimeSource
    /// Where problems are reported.
    public let logger: Logger
    /// How failed claims and result writes are retried.
    public let retryTiming: RetryTiming
    /// `store` when it keeps runs' output itself (PostgreSQL): cast once, not per run (a cast to an existential
    /// searches the type's conformances).
    private let logStore: (any JobLogStore)?

    public init(
        store: any JobStore, settings: WorkerSettings, control: WorkerControl, runner: JobRunner,
        clock: any TimeSource, logger: Logger, retryTiming: RetryTiming = .standard
    ) {
        self.store = store
        self.settings = settings
        self.control = control
        self.runner = runner
        self.clock = clock
        self.logger = logger
        self.retryTiming = retryTiming
        logStore = store as? any JobLogStore
    }

    public func run() async throws {
        let control = control
        // The slots spend their time between the store and their processes, so each runs where the store answers
        // it without a hop to another thread and back (`SlotExecutors`: PostgreSQL's event loops, a thread per slot
        // on SQLite); the threads started for that end once the claim loop's group has ended and no slot runs.
        let slotExecutors = SlotExecutors(store: store, slots: settings.workerIDs)
        defer { slotExecutors.stop() }
        await withTaskExecutorPreference((store as? any TaskExecutorPreference)?.preferredTaskExecutor(forTask: 0)) {
            await withGracefulShutdownHandler {
                await claimLoop(slotExecutors: slotExecutors)
            } onGracefulShutdown: {
                control.apply(.drain)
            }
            await deregister()
        }
    }

    private func claimLoop(slotExecutors: SlotExecutors) async {
        await withDiscardingTaskGroup { group in
            if let source = store as? any JobWakeupSource {
                let stream = source.wakeups()
                let control = control
                group.addTask {
                    for await _ in stream { control.noteStoreWakeup() }
                }
            }
            var claimFailures = 0
            while true {
                if control.mode != .run {
                    if control.isIdle { break }
                    await control.wake.wait(upTo: .seconds(1))
                    continue
                }
                // A store wake-up may carry a stop request: read it before claiming (the claim itself is
                // fenced too, but then the loop would only learn of the stop at the next heartbeat). It may
                // also carry a cancel request for a run of ours.
                if control.takeStoreWakeup() {
                    await control.stopCancelledRuns(in: store, logger: logger)
                    if let command = try? await store.requestedCommand(for: settings.workerIDs) {
                        control.apply(command)
                        if command != .run { continue }
                    }
                }
                if control.isFenced {
                    await control.wake.wait(upTo: pollInterval)
                    continue
                }
                let free = control.takeFreeSlots()
                var claimed: [Job] = []
                if !free.isEmpty {
                    do {
                        claimed = try await store.claimJobs(for: free, queues: settings.queues, now: clock.now())
                        if claimFailures > 0 {
                            logger.notice("claiming jobs works again after \(claimFailures) failed tries")
                            claimFailures = 0
                        }
                    } catch {
                        claimFailures += 1
                        control.release(free, wake: false)
                        if claimFailures & (claimFailures - 1) == 0 {
                            logger.warning("claiming jobs failed (\(claimFailures) in a row): \(error)")
                        }
                        await control.wake.wait(upTo: min(backoff(after: claimFailures), pollInterval))
                        continue
                    }
                    let used = Set(claimed.compactMap(\.worker))
                    control.release(free.filter { !used.contains($0) }, wake: false)
                    for job in claimed {
                        group.addTask(executorPreference: slotExecutors.executor(for: job.worker)) {
                            await execute(job)
                        }
                    }
                    // Every free slot got a job: more may be due, claim again as soon as one frees up.
                    if !claimed.isEmpty, claimed.count == free.count { continue }
                }
                await control.wake.wait(upTo: await idleWait(hadFreeSlots: !free.isEmpty))
            }
            group.cancelAll()
        }
    }

    private var pollInterval: Duration {
        .milliseconds(Int64(control.configuration.pollIntervalMilliseconds))
    }

    /// The pause after `failures` failures in a row: `initial * 2^(failures-1)`, at most `cap`.
    private func backoff(after failures: Int) -> Duration {
        var delay = retryTiming.initial
        for _ in 1..<max(failures, 1) where delay < retryTiming.cap { delay *= 2 }
        return min(delay, retryTiming.cap)
    }

    /// How long to sleep when nothing is claimable: the poll interval, or less when a job is due sooner.
    private func idleWait(hadFreeSlots: Bool) async -> Duration {
        let poll = Double(control.configuration.pollIntervalMilliseconds) / 1000
        guard hadFreeSlots, let due = try? await store.nextDueTime(queues: settings.queues) else {
            return .milliseconds(Int64(poll * 1000))
        }
        let untilDue = max(0, due.timeIntervalSince(clock.now()))
        return .milliseconds(Int64(min(poll, untilDue) * 1000) + 1)
    }

    /// Runs `first` on its slot, then whatever job the slot claimed with each result, until none was due.
    private func execute(_ first: Job) async {
        guard var claim = JobClaim(first) else { return }
        var job = first
        while true {
            guard let next = await runOnce(job, claim: claim), let nextClaim = JobClaim(next) else { break }
            (job, claim) = (next, nextClaim)
        }
        control.release([claim.worker], wake: true)
    }

    /// Runs one claimed job and writes its end; returns the job the slot claimed with the result, if any.
    private func runOnce(_ job: Job, claim: JobClaim) async -> Job? {
        let process = RunningProcess()
        control.register(process, claim: claim)
        let shipper = logStore.map {
            LogShipper(store: $0, id: job.id, path: runner.home.logFile(for: job.id), logger: logger)
        }
        // The exit-code rules the run is told of at its start are the ones its end is judged by.
        let rules = RetryPolicy(control.configuration)
        let report = await withTaskGroup(of: Void.self) { group in
            if let shipper { group.addTask { await shipper.shipWhileRunning() } }
            var run = job
            run.timeout = job.timeout(workerDefault: settings.jobTimeout)
            let report = await runner.run(run, worker: claim.worker, process: process, policy: rules)
            group.cancelAll()
            return report
        }
        // The periodic copies have ended (the group waited for them), so nothing else reads the file now. A
        // finished run's last output (or a silent run's two lines) goes with its result (one write, in `write`);
        // an aborted run's result is a release, so what it leaves in the log is written here.
        if case .aborted = report.end {
            await shipper?.ship()
            if let silent = report.silentRunLog { await keep(silent, of: job.id) }
        }
        control.unregister(slot: claim.worker)
        return await write(
            report, of: job, claim: claim, rules: rules, runDuration: process.runDuration, shipper: shipper)
    }

    /// Writes the header and end line of an aborted run that wrote no output into the job's log (a failure only
    /// loses those lines: the job goes back to pending all the same).
    private func keep(_ silentRunLog: LogMark, of id: JobID) async {
        do {
            try await JobLog(store: store, home: runner.home).append(silentRunLog, to: id)
        } catch {
            logger.warning("writing the header and end line of an interrupted run of job \(id) failed: \(error)")
        }
    }

    /// Writes the end of a run, retrying (with a capped backoff) while the store is unreachable: the slot
    /// stays busy and the heartbeat keeps the job this worker's meanwhile. Once the workers are stopping
    /// it gives up after `lease_timeout` more: the daemon then exits, its lease lapses and recovery
    /// takes the job.
    private func write(
        _ report: RunReport, of job: Job, claim: JobClaim, rules: RetryPolicy, runDuration: Duration?, shipper: LogShipper?
    ) async -> Job? {
        var failures = 0
        var giveUpAt: ContinuousClock.Instant?
        while true {
            do {
                let applied: Bool
                var next: Job?
                switch report.end {
                case .aborted:
                    applied = try await store.releaseJob(claim, now: clock.now())
                case .finished(let outcome):
                    let configuration = outcome.succeeded ? control.configuration : try await currentConfiguration()
                    var result = RunResult(
                        job: job, outcome: outcome, policy: RetryPolicy(configuration).withExitCodeRules(of: rules),
                        now: clock.now(),
                        runDuration: runDuration.map(Self.seconds))
                    // The output before its last chunk is copied first (bounded writes), the last chunk with the result.
                    result.logTail = try await shipper?.finalPart() ?? []
                    result.silentRunLog = report.silentRunLog
                    let claimsNext = control.mode == .run && !control.isFenced
                    let recorded = try await store.recordResult(
                        result, of: claim, thenClaimFrom: claimsNext ? settings.queues : nil)
                    (applied, next) = (recorded.applied, recorded.next)
                    if recorded.endedCancelled {
                        logger.notice(
                            "job \(job.id) attempt \(claim.attempt) was cancelled: the cancel request came before its \(result.disposition.state.rawValue) end was written")
                    }
                }
                if !applied {
                    logger.notice(
                        "job \(job.id) attempt \(claim.attempt) was recovered by another worker meanwhile; its result was not written")
                } else if failures > 0 {
                    logger.notice("wrote the result of job \(job.id) after \(failures) failed tries")
                }
                return next
            } catch {
                failures += 1
                if Task.isCancelled { return nil }
                if failures & (failures - 1) == 0 {
                    logger.warning("writing the result of job \(job.id) failed (\(failures) in a row): \(error)")
                }
                if control.mode != .run {
                    let lease = Duration.seconds(control.configuration.leaseTimeout)
                    let deadline = giveUpAt ?? ContinuousClock.now.advanced(by: lease)
                    giveUpAt = deadline
                    if ContinuousClock.now >= deadline {
                        logger.error(
                            "giving up writing the result of job \(job.id) while stopping: it will be recovered once this worker's lease lapses")
                        return nil
                    }
                }
                try? await Task.sleep(for: backoff(after: failures))
            }
        }
    }

    /// The configuration as stored now, for the retry decision of a failed run: the copy the heartbeat keeps
    /// may be up to a second old, and a `config set` that returned before the run ended must decide its delay
    /// (the contract). A success needs no configuration, so a drain of succeeding jobs pays nothing for it; a
    /// failure pays one read (SQLite: a read transaction in this process; PostgreSQL: one round trip), small
    /// beside the process it follows.
    private func currentConfiguration() async throws -> QueueConfig {
        let configuration = try await store.configuration()
        control.update(configuration: configuration)
        return configuration
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func deregister() async {
        do {
            try await store.deregisterWorkers(settings.workerIDs)
        } catch {
            logger.warning("deregistering workers failed: \(error)")
        }
        control.markFinished()
    }
}
