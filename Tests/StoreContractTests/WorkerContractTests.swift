import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Worker registry, leases, stop requests and recovery of lost runs, on every backend.
@Suite("Workers and leases", .storeScope)
struct WorkerContractTests {
    @Test("registered workers are listed with their current job", arguments: TestBackend.all)
    func registry(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.registerWorkers(
            [makeRegistration("w1", queues: ["mail", "video"]), makeRegistration("w2", host: "host-b")], now: testEpoch)
        try await store.enqueue([makeJob("running")])
        _ = try await store.claimJobs(for: ["w1"], queues: [], now: testEpoch)

        let workers = try await store.workers().sorted { $0.id < $1.id }
        #expect(workers.map(\.id) == ["w1", "w2"])
        let first = try #require(workers.first)
        #expect(first.pid == 4242)
        #expect(first.host == "host-a")
        #expect(first.processStart == 777)
        #expect(first.queues == ["mail", "video"])
        #expect(first.job == JobID(trusted: "running"))
        #expect(first.startedAt == testEpoch)
        #expect(first.heartbeatAt == testEpoch)
        #expect(first.command == .run)
        #expect(first.state(now: testEpoch, leaseTimeout: 30) == "busy")
        #expect(workers.last?.job == nil)
        #expect(workers.last?.queues == [])
        #expect(workers.last?.state(now: testEpoch, leaseTimeout: 30) == "idle")

        try await store.deregisterWorkers(["w1"])
        #expect(try await store.workers().map(\.id) == ["w2"])
    }

    @Test("status counts only workers whose lease is live", arguments: TestBackend.all)
    func liveWorkerCount(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.registerWorkers([makeRegistration("old"), makeRegistration("fresh")], now: testEpoch)
        let later = testEpoch.addingTimeInterval(20)
        #expect(try await store.heartbeat(["fresh"], now: later) == .run)
        #expect(try await store.workers().first { $0.id == "fresh" }?.heartbeatAt == later)

        // Default lease_timeout is 30 s.
        #expect(try await store.counts(now: testEpoch.addingTimeInterval(30)).workers == 2)
        #expect(try await store.counts(now: testEpoch.addingTimeInterval(31)).workers == 1)
        #expect(try await store.counts(now: later.addingTimeInterval(31)).workers == 0)

        var config = try await store.configuration()
        try config.set(.leaseTimeout, to: "60")
        try await store.setConfiguration(.leaseTimeout, to: config)
        #expect(try await store.counts(now: testEpoch.addingTimeInterval(59)).workers == 2)
    }

    @Test("a heartbeat returns drain or abort after a stop request for its host", arguments: TestBackend.all)
    func stopRequests(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.registerWorkers(
            [makeRegistration("a1"), makeRegistration("a2"), makeRegistration("b1", host: "host-b")], now: testEpoch)
        #expect(try await store.heartbeat(["a1", "a2"], now: testEpoch) == .run)

        try await store.requestStop(.drain, host: "host-a")
        #expect(try await store.heartbeat(["a1"], now: testEpoch) == .drain)
        #expect(try await store.heartbeat(["b1"], now: testEpoch) == .run)
        #expect(try await store.workers().first { $0.id == "a2" }?.command == .drain)

        try await store.requestStop(.abort, host: nil)
        #expect(try await store.heartbeat(["b1"], now: testEpoch) == .abort)
        #expect(try await store.heartbeat(["a1", "a2"], now: testEpoch) == .abort)
        // A later drain does not soften an abort.
        try await store.requestStop(.drain, host: nil)
        #expect(try await store.heartbeat(["a2"], now: testEpoch) == .abort)
        // Workers registered afterwards start with `run`.
        try await store.registerWorkers([makeRegistration("a3")], now: testEpoch)
        #expect(try await store.heartbeat(["a3"], now: testEpoch) == .run)
    }

    @Test("a heartbeat for several workers returns the strongest command among them", arguments: TestBackend.all)
    func strongestCommand(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.registerWorkers([makeRegistration("x1"), makeRegistration("y1", host: "host-y")], now: testEpoch)
        try await store.requestStop(.drain, host: "host-y")
        #expect(try await store.heartbeat(["x1", "y1"], now: testEpoch) == .drain)
        #expect(try await store.heartbeat(["x1"], now: testEpoch) == .run)
    }

    @Test("jobs of workers whose lease lapsed or whose row is missing are reported lost", arguments: TestBackend.all)
    func lostWorkers(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.registerWorkers(
            [makeRegistration("alive"), makeRegistration("silent"), makeRegistration("ghost")], now: testEpoch)
        try await store.enqueue(makeJobs(4))
        let claimed = try await store.claimJobs(for: ["alive", "silent", "ghost"], queues: [], now: testEpoch)
        #expect(claimed.count == 3)
        // "ghost" vanishes from the registry while holding its job.
        try await store.deregisterWorkers(["ghost"])
        let later = testEpoch.addingTimeInterval(25)
        _ = try await store.heartbeat(["alive"], now: later)

        // At +30 s nobody's lease has lapsed yet, but "ghost" never registered.
        let atThirty = try await store.jobsOfLostWorkers(now: testEpoch.addingTimeInterval(30), leaseTimeout: 30)
        #expect(atThirty.map { $0.worker ?? "" } == ["ghost"])
        // At +31 s "silent" (heartbeat at 0) has lapsed; "alive" (heartbeat at 25) has not.
        let atThirtyOne = try await store.jobsOfLostWorkers(now: testEpoch.addingTimeInterval(31), leaseTimeout: 30)
        #expect(Set(atThirtyOne.map { $0.worker ?? "" }) == ["silent", "ghost"])
        #expect(atThirtyOne.allSatisfy { $0.state == .processing })
        let all = try await store.jobsOfLostWorkers(now: later.addingTimeInterval(31), leaseTimeout: 30)
        #expect(all.count == 3)

        // Recovering one through the normal guarded write removes it from the lost list.
        let ghostJob = try #require(atThirty.first)
        let lost = RunResult(
            job: ghostJob, outcome: .workerLost, policy: RetryPolicy(base: 2, maximum: 60),
            now: testEpoch.addingTimeInterval(31))
        #expect(try await store.recordResult(lost, of: try #require(JobClaim(ghostJob))))
        #expect(try await store.job(ghostJob.id)?.lastError == "worker lost")
        let remaining = try await store.jobsOfLostWorkers(now: testEpoch.addingTimeInterval(31), leaseTimeout: 30)
        #expect(remaining.map { $0.worker ?? "" } == ["silent"])
    }
}
