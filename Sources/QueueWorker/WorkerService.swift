import Foundation
import Logging
import QueueCore
import ServiceLifecycle

/// The claim loop of one worker process: N slots, each a registered worker running one job at a
/// time. Free slots are filled by ONE `claimJobs` call; each finished run is written with one
/// guarded `recordResult`, whose outcome the core's `RetryPolicy` decided. Idle, it sleeps until a
/// wake-up from the store, the next due time or the poll interval, whichever comes first.
///
/// Graceful shutdown (SIGTERM/SIGINT, or a `drain` from the store): no new claims, running jobs
/// finish, the workers deregister, `run()` returns. An `abort` kills running jobs and puts them
/// back as pending without counting the attempt.
public struct WorkerService: Service {
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

    public init(
        store: any JobStore, settings: WorkerSettings, control: WorkerControl, runner: JobRunner,
        clock: any TimeSource, logger: Logger
    ) {
        self.store = store
        self.settings = settings
        self.control = control
        self.runner = runner
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        let control = control
        await withGracefulShutdownHandler {
            await claimLoop()
        } onGracefulShutdown: {
            control.apply(.drain)
        }
        await deregister()
    }

    private func claimLoop() async {
        await withDiscardingTaskGroup { group in
            if let source = store as? any JobWakeupSource {
                let stream = source.wakeups()
                let control = control
                group.addTask {
                    for await _ in stream { control.wake.notify() }
                }
            }
            while true {
                let mode = control.mode
                if mode != .run {
                    if control.isIdle { break }
                    await control.wake.wait(upTo: .seconds(1))
                    continue
                }
                let free = control.takeFreeSlots()
                var claimed: [Job] = []
                if !free.isEmpty {
                    do {
                        claimed = try await store.claimJobs(for: free, queues: settings.queues, now: clock.now())
                    } catch {
                        logger.warning("claiming jobs failed: \(error)")
                    }
                    let used = Set(claimed.compactMap(\.worker))
                    control.release(free.filter { !used.contains($0) })
                    for job in claimed {
                        group.addTask { await execute(job) }
                    }
                    // Every free slot got a job: more may be due, claim again as soon as one frees up.
                    if !claimed.isEmpty, claimed.count == free.count { continue }
                }
                await control.wake.wait(upTo: await idleWait(hadFreeSlots: !free.isEmpty))
            }
            group.cancelAll()
        }
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

    private func execute(_ job: Job) async {
        guard let claim = JobClaim(job) else { return }
        let process = RunningProcess()
        control.register(process, for: claim.worker)
        let end = await runner.run(job, worker: claim.worker, process: process)
        control.unregister(slot: claim.worker)
        await write(end, of: job, claim: claim)
        control.release([claim.worker])
    }

    /// Writes the end of a run, retrying while the store is unreachable (the lease keeps the job ours).
    private func write(_ end: RunEnd, of job: Job, claim: JobClaim) async {
        var delay = Duration.milliseconds(50)
        for attempt in 1...12 {
            do {
                let applied: Bool
                switch end {
                case .aborted:
                    applied = try await store.releaseJob(claim, now: clock.now())
                case .finished(let outcome):
                    let result = RunResult(
                        job: job, outcome: outcome, policy: RetryPolicy(control.configuration), now: clock.now())
                    applied = try await store.recordResult(result, of: claim)
                }
                if !applied {
                    logger.notice(
                        "job \(job.id) attempt \(claim.attempt) was recovered by another worker meanwhile; its result was not written")
                }
                return
            } catch {
                logger.warning("writing the result of job \(job.id) failed (try \(attempt)): \(error)")
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
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
