import Foundation
import QueueCore
import QueueTestSupport
import QueueWorker
import Testing

/// Retry timing with a clock that only moves when the test says so (SQLite: its store takes the
/// caller's clock for due times, which makes the delays exact).
@Suite("Retries and backoff")
struct BackoffTests {
    @Test("failed runs are retried after exactly base^n seconds, then the job is dead")
    func exactDelays() async throws {
        let fixture = try await WorkerFixture(.sqlite)
        let clock = ManualTimeSource()
        let enqueuedAt = clock.now()
        try await fixture.enqueue("flaky", command: "exit 3", maxRetries: 2, now: enqueuedAt)
        let store = ClaimCountingStore(fixture.store)
        let workers = try await RunningWorkers.start(store: store, home: fixture.home, count: 1, clock: clock)

        #expect(try await eventually(timeout: .seconds(120)) { try await Self.isFailed(fixture, attempts: 1) })
        var job = try await fixture.job("flaky")
        #expect(job.exitCode == 3)
        #expect(job.lastError == "exited with code 3")
        #expect(job.runAt == enqueuedAt.addingTimeInterval(2))

        let attemptsBefore = store.claimAttempts
        clock.advance(by: 1.9)
        // The worker has looked at least once with the moved clock and left the job alone.
        #expect(try await store.waitForClaimAttempts(2, since: attemptsBefore))
        #expect(try await fixture.job("flaky").attempts == 1, "not due before 2 s")
        clock.advance(by: 0.1)
        #expect(try await eventually(timeout: .seconds(120)) { try await Self.isFailed(fixture, attempts: 2) })
        job = try await fixture.job("flaky")
        #expect(job.runAt == enqueuedAt.addingTimeInterval(2 + 4))

        clock.advance(by: 4)
        #expect(try await fixture.waitFor("flaky", .dead))
        job = try await fixture.job("flaky")
        #expect(job.attempts == 3)
        try await workers.stop()
    }

    @Test("config set reaches running workers: a new backoff base applies to the next failure")
    func configReachesWorkers() async throws {
        let fixture = try await WorkerFixture(.sqlite)
        let clock = ManualTimeSource()
        let workers = try await RunningWorkers.start(store: fixture.store, home: fixture.home, count: 1, clock: clock)
        var config = try await fixture.store.configuration()
        try config.set(.backoffBase, to: "5")
        try await fixture.store.setConfiguration(.backoffBase, to: config)
        #expect(try await eventually(timeout: .seconds(120)) { workers.control.configuration.backoffBase == 5 })

        let enqueuedAt = clock.now()
        try await fixture.enqueue("flaky", command: "exit 1", maxRetries: 1, now: enqueuedAt)
        #expect(try await eventually(timeout: .seconds(120)) { try await fixture.job("flaky").state == .failed })
        #expect(try await fixture.job("flaky").runAt == enqueuedAt.addingTimeInterval(5))
        try await workers.stop()
    }

    @Test("a timed-out run is a failure that follows the retry rules")
    func timeoutFailsThenDies() async throws {
        let fixture = try await WorkerFixture(.sqlite, configure: [(.backoffBase, "1")])
        let pidFile = fixture.file("child.pid")
        try await fixture.enqueue(
            "slow", command: "sleep 1000 & echo $! > \(pidFile); sleep 999", maxRetries: 1, timeout: 1)
        let workers = try await RunningWorkers.start(store: fixture.store, home: fixture.home, count: 1)
        #expect(try await eventually(timeout: .seconds(120)) { try await fixture.job("slow").state == .failed })
        #expect(try await fixture.job("slow").lastError == "timed out after 1s")
        let child = try #require(readPid(pidFile))
        #expect(try await eventually(timeout: .seconds(60)) { !processIsRunning(child) })
        #expect(try await fixture.waitFor("slow", .dead))
        #expect(try await fixture.job("slow").attempts == 2)
        try await workers.stop()
    }

    private static func isFailed(_ fixture: WorkerFixture, attempts: Int) async throws -> Bool {
        let job = try await fixture.job("flaky")
        return job.state == .failed && job.attempts == attempts
    }
}
