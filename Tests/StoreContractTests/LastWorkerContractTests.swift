import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `last_worker`: the worker that claimed a job's latest run, kept after the run ends, on every backend.
@Suite("Last worker", .storeScope)
struct LastWorkerContractTests {
    @Test("a claim records its worker as the last worker, which stays once the run has ended", arguments: TestBackend.all)
    func lastWorker(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let now = testEpoch
        try await store.enqueue([makeJob("ran", maxRetries: 1, createdAt: now)])
        #expect(try await store.job(JobID(trusted: "ran"))?.lastWorker == nil, "no run yet")

        let first = try #require(try await store.claimJobs(registering: ["w-1"], now: now).first)
        #expect(first.worker == "w-1" && first.lastWorker == "w-1")
        let failed = RunResult(job: first, outcome: .exited(1), policy: RetryPolicy(QueueConfig()), now: now.addingTimeInterval(2))
        #expect(try await store.recordResult(failed, of: try #require(JobClaim(first))))
        let afterFailure = try #require(try await store.job(JobID(trusted: "ran")))
        #expect(afterFailure.worker == nil && afterFailure.lastWorker == "w-1")
        #expect(afterFailure.lastRunDuration == 2)

        // The retry goes to another worker, which becomes the last one (also when claimed with the next result).
        let second = try #require(try await store.claimJobs(registering: ["w-2"], now: now.addingTimeInterval(60)).first)
        #expect(second.lastWorker == "w-2")
        let done = RunResult(job: second, outcome: .succeeded, policy: RetryPolicy(QueueConfig()), now: now.addingTimeInterval(61))
        #expect(try await store.recordResult(done, of: try #require(JobClaim(second))))
        let finished = try #require(try await store.job(JobID(trusted: "ran")))
        #expect(finished.state == .completed && finished.worker == nil && finished.lastWorker == "w-2")
        #expect(try await store.jobs(JobFilter()).first?.lastWorker == "w-2")
    }

    @Test("a job claimed right after a result names its worker as the last worker", arguments: TestBackend.all)
    func claimedWithResult(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let now = testEpoch
        try await store.enqueue([makeJob("one", createdAt: now), makeJob("two", createdAt: now.addingTimeInterval(0.001))])
        let first = try #require(try await store.claimJobs(registering: ["w-9"], now: now).first)
        let done = RunResult(job: first, outcome: .succeeded, policy: RetryPolicy(QueueConfig()), now: now.addingTimeInterval(1))
        let recorded = try await store.recordResult(done, of: try #require(JobClaim(first)), thenClaimFrom: [])
        #expect(recorded.applied)
        #expect(recorded.next?.id == JobID(trusted: "two"))
        #expect(recorded.next?.lastWorker == "w-9")
        #expect(try await store.job(JobID(trusted: "two"))?.lastWorker == "w-9")
    }
}
