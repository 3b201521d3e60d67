import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Fencing by the worker registry: claims only for workers told to run, lease renewals that report
/// what the store credits, stops addressed to exact workers and recovery writes guarded by the lease.
@Suite("Leases and fencing", .storeScope)
struct LeaseContractTests {
    @Test("after a drain request has committed, claims for those workers return nothing", arguments: TestBackend.all)
    func drainFencesClaims(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.registerWorkers(["w1", "w2"].map { makeRegistration($0, host: "box") }, now: testEpoch)
        try await store.enqueue(makeJobs(3))
        try await store.requestStop(.drain, host: "box")
        #expect(try await store.claimJobs(for: ["w1", "w2"], queues: [], now: testEpoch).isEmpty)
        #expect(try await store.counts(now: testEpoch).pending == 3)
        try await store.requestStop(.abort, workers: ["w1"])
        #expect(try await store.claimJobs(for: ["w1"], queues: [], now: testEpoch).isEmpty)
    }

    @Test("a claim serves only registered workers told to run, in the order given", arguments: TestBackend.all)
    func claimsOnlyForRunningWorkers(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.registerWorkers(["a", "b", "c"].map { makeRegistration($0, host: "box") }, now: testEpoch)
        try await store.requestStop(.drain, workers: ["b"])
        try await store.enqueue([makeJob("p2", priority: 2), makeJob("p1", priority: 1), makeJob("p0")])
        let claimed = try await store.claimJobs(for: ["ghost", "a", "b", "c"], queues: [], now: testEpoch)
        #expect(claimed.map(\.id.rawValue) == ["p2", "p1"])
        #expect(claimed.map { $0.worker ?? "" } == ["a", "c"])
        #expect(try await store.job(JobID(trusted: "p0"))?.state == .pending)
        // A deregistered worker claims nothing either.
        try await store.deregisterWorkers(["a"])
        #expect(try await store.claimJobs(for: ["a"], queues: [], now: testEpoch).isEmpty)
    }

    @Test("a stop addressed to workers reaches exactly them, and is read back without renewing", arguments: TestBackend.all)
    func stopByWorkerIDs(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        // Two containers with one host name: the stop names the workers of one of them.
        try await store.registerWorkers(
            [("x1", "box/boot/1"), ("y1", "box/boot/2")].map { makeRegistration($0, host: "box", hostID: $1) },
            now: testEpoch)
        try await store.requestStop(.drain, workers: ["x1"])
        #expect(try await store.requestedCommand(for: ["x1"]) == .drain)
        #expect(try await store.requestedCommand(for: ["y1"]) == .run)
        #expect(try await store.requestedCommand(for: ["x1", "y1"]) == .drain)
        #expect(try await store.requestedCommand(for: ["nobody"]) == .run)
        // A later drain does not soften an abort.
        try await store.requestStop(.abort, workers: ["x1"])
        try await store.requestStop(.drain, workers: ["x1"])
        #expect(try await store.requestedCommand(for: ["x1"]) == .abort)
        let heartbeats = try await store.workers().map(\.heartbeatAt)
        #expect(heartbeats == [testEpoch, testEpoch])
        let records = try await store.workers().sorted { $0.id < $1.id }
        #expect(records.map(\.hostID) == ["box/boot/1", "box/boot/2"])
        #expect(records.map(\.host) == ["box", "box"])
    }

    @Test("a lease renewal reports the registered workers and the runs the store credits them", arguments: TestBackend.all)
    func renewalReportsHeldRuns(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.registerWorkers(["w1", "w2"].map { makeRegistration($0, host: "box") }, now: testEpoch)
        try await store.enqueue(makeJobs(2))
        let claimed = try await store.claimJobs(for: ["w1", "w2"], queues: [], now: testEpoch)
        let claims = Set(claimed.compactMap(JobClaim.init))
        #expect(claims.count == 2)

        let later = testEpoch.addingTimeInterval(5)
        let renewal = try await store.renewLeases(["w1", "w2", "gone"], now: later)
        #expect(renewal.command == .run)
        #expect(renewal.registered == ["w1", "w2"])
        #expect(renewal.heldRuns == claims)
        #expect(try await store.workers().allSatisfy { $0.heartbeatAt == later })

        // Recovered meanwhile: the run is no longer credited.
        let first = try #require(claimed.first)
        let lost = RunResult(job: first, outcome: .workerLost, policy: RetryPolicy(base: 2, maximum: 60), now: later)
        #expect(try await store.recordResult(lost, of: try #require(JobClaim(first))))
        let after = try await store.renewLeases(["w1", "w2"], now: later)
        #expect(after.heldRuns == claims.subtracting([try #require(JobClaim(first))]))

        try await store.deregisterWorkers(["w1"])
        let missing = try await store.renewLeases(["w1"], now: later)
        #expect(missing.registered.isEmpty)
        #expect(missing.command == .run)
    }

    @Test("a lost run is recorded only while its worker's lease has lapsed", arguments: TestBackend.all)
    func lostRunNeedsLapsedLease(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.registerWorkers([makeRegistration("w1", host: "box")], now: testEpoch)
        try await store.enqueue([makeJob("held", maxRetries: 2)])
        let job = try #require(try await store.claimJobs(for: ["w1"], queues: [], now: testEpoch).first)
        let claim = try #require(JobClaim(job))
        let policy = RetryPolicy(base: 2, maximum: 60)

        // Listed lost at +31 s, but a heartbeat landed at +20 s meanwhile: the lease is live, the write refused.
        let at = testEpoch.addingTimeInterval(31)
        #expect(try await store.jobsOfLostWorkers(now: at, leaseTimeout: 30).map(\.id) == [job.id])
        _ = try await store.renewLeases(["w1"], now: testEpoch.addingTimeInterval(20))
        let lost = RunResult(job: job, outcome: .workerLost, policy: policy, now: at, runDuration: nil)
        #expect(try await store.recordLostRun(lost, of: claim, now: at, leaseTimeout: 30) == false)
        #expect(try await store.job(job.id)?.state == .processing)

        // Once the lease has lapsed it applies, with the retry rules and the counters.
        let lapsed = testEpoch.addingTimeInterval(51)
        let late = RunResult(job: job, outcome: .workerLost, policy: policy, now: lapsed, runDuration: nil)
        #expect(try await store.recordLostRun(late, of: claim, now: lapsed, leaseTimeout: 30))
        let stored = try #require(try await store.job(job.id))
        #expect(stored.state == .failed)
        #expect(stored.lastError == "worker lost")
        #expect(stored.runAt == lapsed.addingTimeInterval(2))
        #expect(try await store.counters()[RunMetrics.runsRetried] == 1)
        // The claim is spent: a second recovery is refused.
        #expect(try await store.recordLostRun(late, of: claim, now: lapsed, leaseTimeout: 30) == false)
    }

    @Test("a lost run whose worker row is missing is recorded at once", arguments: TestBackend.all)
    func lostRunOfMissingWorker(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("orphan", maxRetries: 0)])
        let job = try #require(try await store.claimJobs(registering: ["w1"], now: testEpoch).first)
        try await store.deregisterWorkers(["w1"])
        let result = RunResult(
            job: job, outcome: .workerLost, policy: RetryPolicy(base: 2, maximum: 60), now: testEpoch, runDuration: nil)
        #expect(try await store.recordLostRun(result, of: try #require(JobClaim(job)), now: testEpoch, leaseTimeout: 30))
        #expect(try await store.job(job.id)?.state == .dead)
    }
}
