import Foundation
import Logging
import QueueCore
import QueueTestSupport
import QueueWorker
import Testing

@Suite("Recovery of lost work")
struct RecoveryTests {
    private func recovery(_ fixture: WorkerFixture, clock: any TimeSource = SystemTimeSource()) async throws
        -> RecoveryService
    {
        let settings = WorkerSettings.forCurrentProcess(count: 1, queues: [])
        let control = WorkerControl(slots: settings.workerIDs, configuration: try await fixture.store.configuration())
        return RecoveryService(
            store: fixture.store, settings: settings, control: control, clock: clock,
            logger: Logger(label: "queuectl.recovery.test"))
    }

    /// A pid that is certainly not running: a child that already exited and was reaped.
    private func deadProcess() throws -> ProcessIdentity {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return ProcessIdentity(pid: process.processIdentifier, startTime: 1)
    }

    @Test("a job held by a worker of this host whose process is gone is recovered at once as 'worker lost'", arguments: TestBackend.all)
    func goneProcess(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        try await fixture.enqueue("orphan", command: "true", maxRetries: 2)
        let dead = try deadProcess()
        let registration = WorkerRegistration(
            id: "ghost-1", pid: dead.pid, host: WorkerHost.name, processStart: dead.startTime, queues: [])
        try await fixture.store.registerWorkers([registration], now: Date())
        let claimed = try await fixture.store.claimJobs(for: ["ghost-1"], queues: [], now: Date())
        #expect(claimed.map(\.id.rawValue) == ["orphan"])

        let recovered = try await recovery(fixture).recoverOnce()
        #expect(recovered.map(\.rawValue) == ["orphan"])
        let job = try await fixture.job("orphan")
        #expect(job.state == .failed)
        #expect(job.lastError == "worker lost")
        #expect(job.attempts == 1)
        #expect(try await fixture.store.workers().isEmpty)
    }

    @Test("a worker whose lease lapsed loses its job, and its late result is refused", arguments: [TestBackend.sqlite])
    func staleWriteRefused(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend, configure: [(.leaseTimeout, "3")])
        let clock = ManualTimeSource(Date())
        try await fixture.enqueue("held", command: "true", maxRetries: 0, now: clock.now())
        let registration = WorkerRegistration(
            id: "remote-1", pid: 1234, host: "some-other-host", processStart: 1, queues: [])
        try await fixture.store.registerWorkers([registration], now: clock.now())
        let claimed = try #require(try await fixture.store.claimJobs(for: ["remote-1"], queues: [], now: clock.now()).first)

        let service = try await recovery(fixture, clock: clock)
        let early = await service.recoverOnce()
        #expect(early.isEmpty, "lease still valid")
        clock.advance(by: 4)
        let recovered = await service.recoverOnce()
        #expect(recovered.map(\.rawValue) == ["held"])
        #expect(try await fixture.job("held").state == .dead)

        let late = RunResult(job: claimed, outcome: .succeeded, policy: RetryPolicy(base: 2, maximum: 60), now: clock.now())
        let applied = try await fixture.store.recordResult(late, of: try #require(JobClaim(claimed)))
        #expect(!applied)
        let job = try await fixture.job("held")
        #expect(job.state == .dead)
        #expect(job.lastError == "worker lost")
    }
}
