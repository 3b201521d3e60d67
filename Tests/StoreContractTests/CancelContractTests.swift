import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `cancel` on every backend: waiting jobs at once, running ones through a request their worker reads, the
/// end guarded by the claim, all-or-nothing over the ids.
@Suite("Cancel", .storeScope)
struct CancelContractTests {
    private let policy = RetryPolicy(base: 2, maximum: 60)

    private func id(_ text: String) -> JobID { JobID(trusted: text) }

    /// Enqueues `id` and ends one run of it with `outcome` (claimed by `w-<id>`).
    private func runOnce(_ store: any JobStore, _ id: String, maxRetries: Int, outcome: RunOutcome) async throws -> Job {
        try await store.enqueue([makeJob(id, maxRetries: maxRetries)])
        let job = try #require(try await store.claimJobs(registering: ["w-\(id)"], now: testEpoch).first)
        let result = RunResult(job: job, outcome: outcome, policy: policy, now: testEpoch)
        #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
        return try #require(try await store.job(job.id))
    }

    @Test("pending and failed jobs are cancelled at once and never claimed again", arguments: TestBackend.all)
    func waitingJobs(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let failed = try await runOnce(store, "flaky", maxRetries: 3, outcome: .exited(1))
        #expect(failed.state == .failed)
        try await store.enqueue([makeJob("later", runAt: testEpoch.addingTimeInterval(600))])
        let now = testEpoch.addingTimeInterval(5)

        let cancelled = try await store.cancelJobs([id("later"), id("flaky")], grace: .seconds(10), now: now)
        #expect(cancelled.map(\.id.rawValue) == ["later", "flaky"])
        #expect(cancelled.map(\.state) == [.cancelled, .cancelled])
        #expect(cancelled.map(\.lastError) == ["cancelled", "cancelled"])
        #expect(cancelled.allSatisfy { $0.finishedAt == now && $0.updatedAt == now && $0.worker == nil })
        #expect(cancelled[1].attempts == 1 && cancelled[1].exitCode == 1, "the failed run's history stays")
        let counts = try await store.counts(now: now)
        #expect(counts.cancelled == 2 && counts.pending == 0 && counts.failed == 0)
        #expect(try await store.counters()[RunMetrics.jobsCancelled] == 2)
        #expect(try await store.jobs(JobFilter(state: .cancelled)).map(\.id.rawValue) == ["flaky", "later"])
        let much = testEpoch.addingTimeInterval(100_000)
        #expect(try await store.claimJobs(registering: ["w9"], now: much).isEmpty)
        #expect(try await store.nextDueTime(queues: []) == nil)
    }

    @Test("cancel is all-or-nothing: an unknown id or a finished job is refused and nothing changes", arguments: TestBackend.all)
    func allOrNothing(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        _ = try await runOnce(store, "done", maxRetries: 0, outcome: .succeeded)
        _ = try await runOnce(store, "buried", maxRetries: 0, outcome: .exited(3))
        try await store.enqueue([makeJob("a"), makeJob("b")])

        await #expect(throws: QueueError.jobNotFound(id("missing"))) {
            try await store.cancelJobs([id("a"), id("missing"), id("b")], grace: .seconds(10), now: testEpoch)
        }
        await #expect(throws: QueueError.jobNotCancellable(id("done"), .completed)) {
            try await store.cancelJobs([id("a"), id("done")], grace: .seconds(10), now: testEpoch)
        }
        await #expect(throws: QueueError.jobNotCancellable(id("buried"), .dead)) {
            try await store.cancelJobs([id("buried"), id("b")], grace: .seconds(10), now: testEpoch)
        }
        #expect(try await store.job(id("a"))?.state == .pending)
        #expect(try await store.job(id("b"))?.state == .pending)
        #expect(try await store.counts(now: testEpoch).cancelled == 0)

        _ = try await store.cancelJobs([id("a")], grace: .seconds(10), now: testEpoch)
        await #expect(throws: QueueError.jobNotCancellable(id("a"), .cancelled)) {
            try await store.cancelJobs([id("b"), id("a")], grace: .seconds(10), now: testEpoch)
        }
        #expect(try await store.job(id("b"))?.state == .pending)
    }

    @Test("a running job gets a request its worker reads with its lease, and the guarded end writes cancelled", arguments: TestBackend.all)
    func runningJob(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("long", maxRetries: 5), makeJob("other")])
        let claimed = try await store.claimJobs(registering: ["w1", "w2"], now: testEpoch)
        let job = try #require(claimed.first { $0.id.rawValue == "long" })
        let claim = try #require(JobClaim(job))
        #expect(try await store.cancelRequests(for: ["w1", "w2"]).isEmpty)

        let answer = try await store.cancelJobs([id("long")], grace: .milliseconds(2500), now: testEpoch.addingTimeInterval(1))
        #expect(answer.map(\.state) == [.processing], "the job runs until its worker stopped it")
        #expect(try await store.cancelRequests(for: ["w1", "w2"]) == [CancelRequest(claim: claim, grace: .milliseconds(2500))])
        #expect(try await store.cancelRequests(for: [claim.worker == "w1" ? "w2" : "w1"]).isEmpty)
        // Asking again is harmless (a new grace applies).
        _ = try await store.cancelJobs([id("long")], grace: .seconds(1), now: testEpoch.addingTimeInterval(2))
        #expect(try await store.cancelRequests(for: [claim.worker]).map(\.grace) == [.seconds(1)])

        let end = RunResult(job: job, outcome: .cancelled, policy: policy, now: testEpoch.addingTimeInterval(3))
        #expect(end.disposition == .cancelled)
        #expect(try await store.recordResult(end, of: claim))
        #expect(try await store.recordResult(end, of: claim) == false, "the claim no longer holds")
        let ended = try #require(try await store.job(id("long")))
        #expect(ended.state == .cancelled && ended.lastError == "cancelled" && ended.attempts == 1 && ended.worker == nil)
        #expect(try await store.cancelRequests(for: ["w1", "w2"]).isEmpty)
        #expect(try await store.counters()[RunMetrics.runsCancelled] == 1)
        #expect(try await store.claimJobs(for: ["w1", "w2"], queues: [], now: testEpoch.addingTimeInterval(10_000)).isEmpty)
    }

    @Test("a request made during one run does not name the job's next run", arguments: TestBackend.all)
    func requestBelongsToItsRun(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("again", maxRetries: 0)])
        let first = try #require(try await store.claimJobs(registering: ["w1"], now: testEpoch).first)
        _ = try await store.cancelJobs([id("again")], grace: .seconds(10), now: testEpoch)
        // The run failed for the last time on its own before its worker saw the request (it stays dead), and
        // the dead job is retried from the DLQ: a new run.
        let failed = RunResult(job: first, outcome: .exited(1), policy: policy, now: testEpoch.addingTimeInterval(1))
        #expect(try await store.recordResult(failed, of: try #require(JobClaim(first))))
        #expect(try await store.job(id("again"))?.state == .dead)
        _ = try await store.retryDeadJobs(.jobs([id("again")]), now: testEpoch.addingTimeInterval(2))
        let second = try #require(try await store.claimJobs(for: ["w1"], queues: [], now: testEpoch.addingTimeInterval(100)).first)
        #expect(second.attempts == 1)
        #expect(try await store.cancelRequests(for: ["w1"]).isEmpty)
    }

    @Test("cancel racing a run's end: the job ends completed or cancelled, never both, never retried", arguments: TestBackend.all)
    func raceWithCompletion(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let rounds = 40
        try await store.enqueue((0..<rounds).map { makeJob("race-\($0)", maxRetries: 3) })
        var refused = 0
        for round in 0..<rounds {
            let job = try #require(try await store.claimJobs(registering: ["racer"], now: testEpoch).first)
            let claim = try #require(JobClaim(job))
            let result = RunResult(job: job, outcome: .succeeded, policy: policy, now: testEpoch)
            async let ended = store.recordResult(result, of: claim)
            async let cancel: [Job]? = {
                do {
                    return try await store.cancelJobs([job.id], grace: .seconds(10), now: testEpoch)
                } catch QueueError.jobNotCancellable(_, .completed) {
                    return nil
                }
            }()
            #expect(try await ended, "round \(round): the run's own end is written")
            if try await cancel == nil { refused += 1 }
            let final = try #require(try await store.job(job.id))
            #expect(final.state == .completed, "round \(round): no signal was sent, so the exit 0 stands")
            #expect(try await store.cancelRequests(for: ["racer"]).isEmpty)
        }
        let counts = try await store.counts(now: testEpoch)
        #expect(counts.completed == rounds && counts.cancelled == 0 && counts.processing == 0)
        #expect(refused <= rounds)
    }
}
