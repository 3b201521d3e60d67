import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `dlq retry` semantics, on every backend.
@Suite("Dead letter queue", .storeScope)
struct DeadLetterContractTests {
    /// Enqueues `ids`, runs each once and sends those in `dead` to the DLQ (the others complete).
    private func prepare(_ store: any JobStore, ids: [String], dead: Set<String>) async throws {
        try await store.enqueue(ids.map { makeJob($0, maxRetries: 0) })
        let claimed = try await store.claimJobs(registering: ids.map { "w-\($0)" }, queues: [], now: testEpoch)
        for job in claimed {
            let outcome: RunOutcome = dead.contains(job.id.rawValue) ? .exited(2) : .succeeded
            let result = RunResult(job: job, outcome: outcome, policy: RetryPolicy(base: 2, maximum: 60), now: testEpoch)
            #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
        }
    }

    @Test("retrying dead jobs by id puts them back to pending with attempts 0, due now", arguments: TestBackend.all)
    func retryByID(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await prepare(store, ids: ["d1", "d2", "d3"], dead: ["d1", "d2", "d3"])
        let now = testEpoch.addingTimeInterval(100)

        let moved = try await store.retryDeadJobs(.jobs([JobID(trusted: "d3"), JobID(trusted: "d1")]), now: now)
        #expect(Set(moved.map(\.rawValue)) == ["d3", "d1"])
        let job = try #require(try await store.job(JobID(trusted: "d1")))
        #expect(job.state == .pending)
        #expect(job.attempts == 0)
        #expect(job.runAt == now)
        #expect(job.updatedAt == now)
        #expect(job.worker == nil)
        #expect(try await store.job(JobID(trusted: "d2"))?.state == .dead)
        let counts = try await store.counts(now: now)
        #expect(counts.dead == 1 && counts.pending == 2)
        // It runs again with its full retry budget.
        let again = try await store.claimJobs(registering: ["w1", "w2"], queues: [], now: now)
        #expect(again.map(\.id.rawValue) == ["d1", "d3"])
        #expect(again.allSatisfy { $0.attempts == 1 })
    }

    @Test("retrying by id moves nothing when one id is missing or not dead", arguments: TestBackend.all)
    func retryAllOrNothing(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await prepare(store, ids: ["dead-1", "fine", "dead-2"], dead: ["dead-1", "dead-2"])

        await #expect(throws: QueueError.jobNotFound(JobID(trusted: "nope"))) {
            _ = try await store.retryDeadJobs(
                .jobs([JobID(trusted: "dead-1"), JobID(trusted: "nope"), JobID(trusted: "fine")]), now: testEpoch)
        }
        await #expect(throws: QueueError.jobNotDead(JobID(trusted: "fine"), .completed)) {
            _ = try await store.retryDeadJobs(.jobs([JobID(trusted: "dead-1"), JobID(trusted: "fine")]), now: testEpoch)
        }
        #expect(try await store.jobs(JobFilter(state: .dead)).map(\.id.rawValue) == ["dead-1", "dead-2"])
        #expect(try await store.counts(now: testEpoch).pending == 0)
    }

    @Test("the error for retrying a job that is not dead says what state it is in", arguments: TestBackend.all)
    func notDeadMessage(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("waiting")])
        do {
            _ = try await store.retryDeadJobs(.jobs([JobID(trusted: "waiting")]), now: testEpoch)
            Issue.record("a pending job was retried")
        } catch let error as QueueError {
            #expect(error.description == "job 'waiting' is pending, not dead; only dead jobs can be retried")
        }
    }

    @Test("retrying all dead jobs moves every dead job and nothing else", arguments: TestBackend.all)
    func retryAll(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        #expect(try await store.retryDeadJobs(.all, now: testEpoch).isEmpty)
        try await prepare(store, ids: ["x1", "ok", "x2", "x3"], dead: ["x1", "x2", "x3"])

        let moved = try await store.retryDeadJobs(.all, now: testEpoch)
        #expect(moved.map(\.rawValue) == ["x1", "x2", "x3"])
        #expect(try await store.jobs(JobFilter(state: .pending)).map(\.id.rawValue) == ["x1", "x2", "x3"])
        #expect(try await store.job(JobID(trusted: "ok"))?.state == .completed)
        #expect(try await store.counts(now: testEpoch).dead == 0)
        #expect(try await store.retryDeadJobs(.all, now: testEpoch).isEmpty)
    }
}
