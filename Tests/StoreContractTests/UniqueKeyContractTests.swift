import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Unique jobs on every backend: a key is held while its job waits or runs (pending, failed, processing), by
/// the store's partial unique index, and free again once that job completed, died or was cancelled.
@Suite("Unique keys", .storeScope)
struct UniqueKeyContractTests {
    private let policy = RetryPolicy(base: 2, maximum: 60)

    /// A pending job with `key`.
    private func keyed(_ id: String, _ key: String?, maxRetries: Int = 3) -> Job {
        var job = makeJob(id, maxRetries: maxRetries)
        job.uniqueKey = key
        return job
    }

    /// Claims the one due job as `worker` and ends its run with `outcome`; returns the job afterwards.
    private func runOnce(_ store: any JobStore, worker: String, outcome: RunOutcome) async throws -> Job {
        let job = try #require(try await store.claimJobs(registering: [worker], now: testEpoch).first)
        let result = RunResult(job: job, outcome: outcome, policy: policy, now: testEpoch)
        #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
        return try #require(try await store.job(job.id))
    }

    @Test("a held key adds nothing and answers the holder, while it is pending, failed or processing", arguments: TestBackend.all)
    func heldKeyAnswersHolder(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        #expect(try await store.enqueue([keyed("first", "report")]).isEmpty)

        let pending = try await store.enqueue([keyed("second", "report")])
        #expect(pending[JobID(trusted: "second")]?.id.rawValue == "first")
        #expect(pending[JobID(trusted: "second")]?.uniqueKey == "report")
        #expect(try await store.job(JobID(trusted: "second")) == nil)

        let failed = try await runOnce(store, worker: "w1", outcome: .exited(1))
        #expect(failed.state == .failed)
        #expect(try await store.enqueue([keyed("third", "report")])[JobID(trusted: "third")]?.id.rawValue == "first")

        let running = try #require(try await store.claimJobs(registering: ["w2"], now: testEpoch.addingTimeInterval(600)).first)
        #expect(running.id.rawValue == "first")
        let held = try await store.enqueue([keyed("fourth", "report")])
        #expect(held[JobID(trusted: "fourth")]?.state == .processing)
        #expect(try await store.jobs(JobFilter()).map(\.id.rawValue) == ["first"])
        #expect(try await store.counts(now: testEpoch).processing == 1)
        #expect(try await store.counts(now: testEpoch).pending == 0)
    }

    @Test("the key is free again once its job completed, died or was cancelled", arguments: TestBackend.all)
    func keyFreesWhenHolderEnds(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([keyed("done", "k", maxRetries: 0)])
        #expect(try await runOnce(store, worker: "w1", outcome: .succeeded).state == .completed)
        #expect(try await store.enqueue([keyed("after-done", "k", maxRetries: 0)]).isEmpty)

        #expect(try await runOnce(store, worker: "w2", outcome: .exited(1)).state == .dead)
        #expect(try await store.enqueue([keyed("after-dead", "k")]).isEmpty)

        let cancelled = try await store.cancelJobs([JobID(trusted: "after-dead")], grace: .seconds(1), now: testEpoch)
        #expect(cancelled.map(\.state) == [.cancelled])
        #expect(try await store.enqueue([keyed("after-cancel", "k")]).isEmpty)

        let all = try await store.jobs(JobFilter())
        #expect(all.map(\.id.rawValue) == ["done", "after-done", "after-dead", "after-cancel"])
        #expect(all.allSatisfy { $0.uniqueKey == "k" })
    }

    @Test("dlq retry and restart of a job whose key another job holds now are refused in one line, changing nothing", arguments: TestBackend.all)
    func movingBackIntoAHeldKeyIsRefused(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([keyed("old", "k", maxRetries: 0)])
        #expect(try await runOnce(store, worker: "w1", outcome: .exited(1)).state == .dead)
        #expect(try await store.enqueue([keyed("new", "k")]).isEmpty)

        await #expect(throws: UniqueKey.heldByAnotherJob) {
            try await store.retryDeadJobs(.jobs([JobID(trusted: "old")]), now: testEpoch)
        }
        let control = try #require(store as? any JobControlStore)
        await #expect(throws: UniqueKey.heldByAnotherJob) {
            try await control.apply(.restart, to: [JobID(trusted: "old")], now: testEpoch)
        }
        #expect(try await store.job(JobID(trusted: "old"))?.state == .dead)
        #expect(try await store.job(JobID(trusted: "new"))?.state == .pending)
    }

    @Test("20 concurrent enqueuers of one key on separate connections make one job, and all learn its id", arguments: TestBackend.all)
    func concurrentEnqueuersGetOneJob(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        let first = try await backend.openScopedStore(url)
        let learned = try await withThrowingTaskGroup(of: String.self) { group in
            for client in 0..<20 {
                group.addTask {
                    let store = try await backend.openScopedStore(url)
                    let job = self.keyed("racer-\(client)", "nightly")
                    return try await store.enqueue([job])[job.id]?.id.rawValue ?? job.id.rawValue
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        let jobs = try await first.jobs(JobFilter())
        #expect(jobs.count == 1)
        let winner = try #require(jobs.first)
        #expect(learned.count == 20)
        #expect(learned.allSatisfy { $0 == winner.id.rawValue })
        #expect(try await first.counts(now: testEpoch).pending == 1)
    }

    @Test("a batch with a held key adds the other jobs and answers the holder for that one", arguments: TestBackend.all)
    func batchMixesHeldAndNew(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([keyed("holder", "sync")])
        let held = try await store.enqueue([keyed("plain", nil), keyed("again", "sync"), keyed("other", "mail")])
        #expect(held.count == 1)
        #expect(held[JobID(trusted: "again")]?.id.rawValue == "holder")
        #expect(try await store.jobs(JobFilter()).map(\.id.rawValue) == ["holder", "plain", "other"])
        #expect(try await store.counts(now: testEpoch).pending == 3)
    }

    @Test("a duplicate id still rolls back the whole batch, held keys included", arguments: TestBackend.all)
    func duplicateIDStillFails(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([keyed("holder", "sync"), keyed("taken", nil)])
        await #expect(throws: QueueError.duplicateJobID(JobID(trusted: "taken"))) {
            try await store.enqueue([keyed("again", "sync"), keyed("new", "fresh"), keyed("taken", nil)])
        }
        #expect(try await store.jobs(JobFilter()).map(\.id.rawValue) == ["holder", "taken"])
    }
}
