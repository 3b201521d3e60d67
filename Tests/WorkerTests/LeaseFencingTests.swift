import Foundation
import QueueCore
import QueueTestSupport
import QueueWorker
import Testing

/// A worker keeps its lease honest: it kills runs the store no longer credits to it, fences itself
/// off when its heartbeats stop getting through, registers again when its row vanished, and keeps
/// writing a result until the store takes it.
@Suite("Leases and self-fencing")
struct LeaseFencingTests {
    /// A command whose first attempt writes its shell's pid to `pidFile` and sleeps; later attempts succeed.
    private static func firstAttemptHangs(_ pidFile: String) -> String {
        "if [ \"$QUEUECTL_ATTEMPT\" = 1 ]; then echo $$ > \(pidFile); sleep 1000; fi"
    }

    @Test("a run the store no longer credits to its worker is killed at the next heartbeat", arguments: TestBackend.all)
    func uncreditedRunKilled(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend, configure: [(.backoffBase, "1")])
        let pidFile = fixture.file("job.pid")
        try await fixture.enqueue("long", command: Self.firstAttemptHangs(pidFile), maxRetries: 2)
        let workers = try await RunningWorkers.start(store: try await fixture.openStore(), home: fixture.home, count: 1)
        #expect(try await eventually(timeout: .seconds(120)) { readPid(pidFile) != nil })
        let pid = try #require(readPid(pidFile))

        // Another host's recovery took the run (as after a long network partition).
        let held = try await fixture.job("long")
        let lost = RunResult(job: held, outcome: .workerLost, policy: RetryPolicy(base: 1, maximum: 60), now: Date())
        #expect(try await fixture.store.recordResult(lost, of: try #require(JobClaim(held))))

        #expect(try await eventually(timeout: .seconds(60)) { !processIsRunning(pid) }, "the stale run was killed")
        #expect(try await fixture.waitFor("long", .completed))
        #expect(try await fixture.job("long").attempts == 2)
        try await workers.stop()
    }

    @Test(
        "a worker whose heartbeats fail for lease_timeout kills its running jobs and claims nothing until they work again",
        arguments: [FaultyStore.Renewals.fail, .hang])
    func selfFencing(renewals: FaultyStore.Renewals) async throws {
        let fixture = try await WorkerFixture(.sqlite, configure: [(.leaseTimeout, "3"), (.backoffBase, "1")])
        let pidFile = fixture.file("job.pid")
        try await fixture.enqueue("long", command: Self.firstAttemptHangs(pidFile), maxRetries: 2)
        let store = FaultyStore(try await fixture.openStore())
        let workers = try await RunningWorkers.start(store: store, home: fixture.home, count: 1)
        #expect(try await eventually(timeout: .seconds(120)) { readPid(pidFile) != nil })
        let pid = try #require(readPid(pidFile))

        let cutOff = ContinuousClock.now
        store.setRenewals(renewals)
        #expect(try await eventually(timeout: .seconds(60)) { !processIsRunning(pid) }, "fenced off: its job was killed")
        #expect(ContinuousClock.now - cutOff >= .seconds(2), "not before the lease could lapse")
        #expect(workers.control.isFenced)
        try await fixture.enqueue("meanwhile", command: "true")
        #expect(try await fixture.job("meanwhile").state == .pending, "no claim while fenced")

        store.setRenewals(.work)
        #expect(try await eventually(timeout: .seconds(60)) { !workers.control.isFenced })
        #expect(try await fixture.waitFor("meanwhile", .completed))
        #expect(try await fixture.waitFor("long", .completed))
        #expect(try await fixture.job("long").attempts == 2, "the fenced run counted as a lost attempt")
        try await workers.stop()
    }

    @Test(
        "cancel while the holder is frozen past its lease: the job ends cancelled, counted once, and never runs again",
        arguments: TestBackend.all)
    func cancelWhileHolderFrozen(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend, configure: [(.leaseTimeout, "3"), (.backoffBase, "1")])
        let pidFile = fixture.file("job.pid")
        try await fixture.enqueue("long", command: Self.firstAttemptHangs(pidFile), maxRetries: 2)
        let store = FaultyStore(try await fixture.openStore())
        let workers = try await RunningWorkers.start(store: store, home: fixture.home, count: 1)
        #expect(try await eventually(timeout: .seconds(120)) { readPid(pidFile) != nil })
        let pid = try #require(readPid(pidFile))

        // The holder is cut off (no renewal, no cancel request gets through), then a cancel is requested from
        // elsewhere: only the lapsed lease stops the run, and its end, a lost run, yields to the request.
        store.setRenewals(.hang)
        let cutOff = ContinuousClock.now
        let requested = try await fixture.store.cancelJobs([JobID(trusted: "long")], grace: .seconds(1), now: Date())
        #expect(requested.map(\.state) == [.processing])
        #expect(try await eventually(timeout: .seconds(60)) { !processIsRunning(pid) })
        #expect(ContinuousClock.now - cutOff >= .seconds(2), "stopped by the lapsed lease, not by the request")
        #expect(try await fixture.waitFor("long", .cancelled, timeout: .seconds(60)))

        // Once its heartbeats work again the worker runs other jobs, never this one again.
        store.setRenewals(.work)
        try await fixture.enqueue("after", command: "true")
        #expect(try await fixture.waitFor("after", .completed, timeout: .seconds(60)))
        let job = try await fixture.job("long")
        #expect(job.state == .cancelled && job.lastError == RunOutcome.cancelledError && job.attempts == 1)
        let counters = try await fixture.store.counters()
        #expect(counters[RunMetrics.runsCancelled] == 1 && counters[RunMetrics.jobsCancelled] == 1)
        #expect(counters[RunMetrics.runsRetried, default: 0] == 0)
        try await workers.stop()
    }

    @Test("a worker whose row was removed registers again at its next heartbeat", arguments: TestBackend.all)
    func reregisters(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        let workers = try await RunningWorkers.start(store: try await fixture.openStore(), home: fixture.home, count: 2)
        let ids = Set(workers.settings.workerIDs)
        try await fixture.store.deregisterWorkers(Array(ids))
        #expect(try await eventually(timeout: .seconds(60)) {
            Set(try await fixture.store.workers().map(\.id)).isSuperset(of: ids)
        })
        try await fixture.enqueue("after", command: "true")
        #expect(try await fixture.waitFor("after", .completed))
        try await workers.stop()
    }

    @Test("a result the store keeps refusing is written again and again until it applies", arguments: TestBackend.all)
    func resultRetriedUntilApplied(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        let store = FaultyStore(try await fixture.openStore())
        store.failResults(25)
        let workers = try await RunningWorkers.start(
            store: store, home: fixture.home, count: 1,
            retryTiming: WorkerService.RetryTiming(initial: .milliseconds(1), cap: .milliseconds(10)))
        try await fixture.enqueue("stubborn", command: "true")
        #expect(try await fixture.waitFor("stubborn", .completed, timeout: .seconds(60)))
        #expect(store.resultWrites == 26)
        try await workers.stop()
    }
}
