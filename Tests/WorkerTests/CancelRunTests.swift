import Foundation
import Logging
import QueueCore
import QueueTestSupport
import QueueWorker
import Testing

/// A cancel reaching a run: the race with the run's own end decided in one place, reported truthfully;
/// a worker lost while a cancel is pending.
@Suite("Cancelling runs")
struct CancelRunTests {
    private func claimed(_ id: String, _ command: String) -> Job {
        var job = makeJob(id, command: command, createdAt: Date())
        job.attempts = 1
        job.state = .processing
        job.worker = "w1"
        return job
    }

    @Test("cancel racing a run that exits 0: the run ends cancelled exactly when the cancel says it stopped it")
    func raceWithExit() async throws {
        let directory = try TempDirectory()
        let home = QueueHome(root: URL(fileURLWithPath: directory.file("home")))
        try home.prepare()
        let runner = JobRunner(home: home, clock: SystemTimeSource(), killGrace: .milliseconds(500))
        var stopped = 0
        var completed = 0
        for round in 0..<60 {
            let process = RunningProcess()
            let job = claimed("race-\(round)", "exit 0")
            async let end = runner.run(job, worker: "w1", process: process).end
            // Spread the cancels over the run's short life: before the spawn, while it runs, after its exit.
            try await Task.sleep(for: .microseconds(round % 12 * 250))
            let didStop = process.cancel(grace: .seconds(5))
            let ended = await end
            if didStop {
                stopped += 1
                #expect(ended == .finished(.cancelled), "round \(round): a cancel that stopped the run ends it cancelled")
            } else {
                completed += 1
                #expect(ended == .finished(.succeeded), "round \(round): an exit 0 before the signal stays a success")
            }
            #expect(process.wasCancelled == didStop)
        }
        #expect(stopped + completed == 60)
    }

    @Test("a cancel reaches a running job through the worker, which stops it and writes cancelled", arguments: TestBackend.all)
    func workerStopsRun(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        let pidFile = fixture.file("pid")
        try await fixture.enqueue("long", command: "echo $$ > \(pidFile); sleep 300 & sleep 300", maxRetries: 3)
        let workers = try await RunningWorkers.start(store: fixture.store, home: fixture.home, count: 1)
        #expect(try await eventually(timeout: .seconds(60)) { readPid(pidFile) != nil })
        let pgid = try #require(readPid(pidFile))
        #expect(processGroupIsAlive(pgid))

        let other = try await fixture.openStore()
        let sent = ContinuousClock.now
        _ = try await other.cancelJobs([JobID(trusted: "long")], grace: .seconds(10), now: Date())
        #expect(try await fixture.waitFor("long", .cancelled, timeout: .seconds(10)))
        #expect(ContinuousClock.now - sent < .seconds(2))
        #expect(!processGroupIsAlive(pgid), "no process of the job's group remains")
        let job = try await fixture.job("long")
        #expect(job.lastError == "cancelled" && job.attempts == 1)
        try await workers.stop()
    }

    @Test("a worker lost while a cancel of its run is pending: recovery ends the job cancelled, not retried", arguments: TestBackend.all)
    func lostWorkerWithPendingCancel(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend, configure: [(.leaseTimeout, "3")])
        let clock = ManualTimeSource(Date())
        try await fixture.enqueue("held", command: "true", maxRetries: 5, now: clock.now())
        let registration = WorkerRegistration(id: "remote-1", pid: 1234, host: "some-other-host", processStart: 1, queues: [])
        try await fixture.store.registerWorkers([registration], now: clock.now())
        #expect(try await fixture.store.claimJobs(for: ["remote-1"], queues: [], now: clock.now()).count == 1)
        _ = try await fixture.store.cancelJobs([JobID(trusted: "held")], grace: .seconds(10), now: clock.now())

        let settings = WorkerSettings.forCurrentProcess(count: 1, queues: [])
        let control = WorkerControl(slots: settings.workerIDs, configuration: try await fixture.store.configuration())
        let recovery = RecoveryService(
            store: fixture.store, settings: settings, control: control, home: fixture.home, clock: clock,
            logger: Logger(label: "queuectl.recovery.test"))
        #expect(await recovery.recoverOnce().isEmpty, "the lease is still valid")
        clock.advance(by: 10)
        #expect(await recovery.recoverOnce().map(\.rawValue) == ["held"])
        let job = try await fixture.job("held")
        #expect(job.state == .cancelled && job.lastError == "cancelled")
        #expect(try await fixture.store.claimJobs(for: ["remote-1"], queues: [], now: clock.now().addingTimeInterval(10_000)).isEmpty)
        // Counted as what it was: one cancelled run of a cancelled job, no retry.
        let counters = try await fixture.store.counters()
        #expect(counters[RunMetrics.runsCancelled] == 1 && counters[RunMetrics.jobsCancelled] == 1)
        #expect(counters[RunMetrics.runsRetried, default: 0] == 0)
    }
}
