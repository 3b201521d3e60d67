import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// A stop request reaches idle workers through the store's wake-up: before it claims, a woken worker reads the
/// commands of its own workers (`requestedCommand(for:)`). The store here hides every command from the lease
/// renewals, the other way a stop arrives, so only that read can bring it.
@Suite("Stop requests at the wake-up")
struct StopWakeupTests {
    /// Forwards everything, but its lease renewals always say `run`.
    private final class HeartbeatBlindStore: ForwardingJobStore, JobWakeupSource {
        let inner: any JobStore

        init(_ inner: any JobStore) {
            self.inner = inner
        }

        func renewLeases(_ workers: [String], now: Date) async throws -> LeaseRenewal {
            let renewal = try await inner.renewLeases(workers, now: now)
            return LeaseRenewal(command: .run, registered: renewal.registered, heldRuns: renewal.heldRuns)
        }

        func wakeups() -> AsyncStream<Void> {
            (inner as? any JobWakeupSource)?.wakeups() ?? AsyncStream { _ in }
        }
    }

    @Test("idle workers ignore another worker's stop and drain at the wake-up of their own", arguments: TestBackend.all)
    func stopReachesIdleWorkers(backend: TestBackend) async throws {
        // A minute's poll: within the test's waits only a wake-up brings news.
        let fixture = try await WorkerFixture(backend, configure: [(.pollIntervalMilliseconds, "60000")])
        let store = HeartbeatBlindStore(try await fixture.openStore())
        let workers = try await RunningWorkers.start(store: store, home: fixture.home, count: 2)
        try await fixture.store.registerWorkers([makeRegistration("elsewhere", host: "other-host")], now: Date())
        try await fixture.store.requestStop(.abort, workers: ["elsewhere"])
        // The abort of another worker woke these: they go on claiming.
        try await fixture.enqueue("after-other-stop", command: "true")
        #expect(try await fixture.waitFor("after-other-stop", .completed, timeout: .seconds(30)))
        #expect(workers.control.mode == .run)

        try await fixture.store.requestStop(.drain, workers: workers.settings.workerIDs)
        #expect(try await eventually(timeout: .seconds(30)) { workers.control.mode == .drain })
        try await workers.stop()
    }
}
