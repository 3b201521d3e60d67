import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// A run that ends on its own (fails, snoozes, loses its worker) after `cancel` stored a request for it but
/// before its worker signalled it: the end-of-run write itself turns the retry or snooze into `cancelled`, on
/// every backend, so a cancel never becomes a retry.
@Suite("Cancel racing the end of a run", .storeScope)
struct CancelRaceContractTests {
    /// Snooze code 75, due again 10 s later.
    private let policy = RetryPolicy(
        base: 2, maximum: 60, snooze: RetryPolicy.Snooze(exitCode: 75, delay: 10, maximum: 100))

    /// Enqueues `id` (3 retries), claims it for `w-<id>` at the epoch and stores a cancel request for the run
    /// 1 s later; returns the claimed job (still `processing`).
    private func claimThenCancel(_ store: any JobStore, _ id: String) async throws -> Job {
        try await store.enqueue([makeJob(id, maxRetries: 3)])
        let job = try #require(try await store.claimJobs(registering: ["w-\(id)"], now: testEpoch).first)
        let requested = try await store.cancelJobs([job.id], grace: .seconds(10), now: testEpoch.addingTimeInterval(1))
        #expect(requested.map(\.state) == [.processing])
        return job
    }

    /// Expects `id` to have ended `cancelled` at `at`, never to be claimed again, with its attempt counted once.
    private func expectCancelled(_ store: any JobStore, _ job: Job, at: Date) async throws {
        let stored = try #require(try await store.job(job.id))
        #expect(stored.state == .cancelled)
        #expect(stored.lastError == RunOutcome.cancelledError)
        #expect(stored.attempts == 1 && stored.snoozes == 0)
        #expect(stored.finishedAt == at && stored.worker == nil)
        #expect(try await store.claimJobs(registering: ["w-later"], now: at.addingTimeInterval(100_000)).isEmpty)
    }

    @Test("a run that fails with retries left after the cancel request ends cancelled, not failed", arguments: TestBackend.all)
    func failureAfterRequest(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let job = try await claimThenCancel(store, "flaky")
        let ended = testEpoch.addingTimeInterval(2)
        let result = RunResult(job: job, outcome: .exited(1), policy: policy, now: ended)
        #expect(result.disposition.state == .failed, "the run alone would be retried")

        #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
        try await expectCancelled(store, job, at: ended)
    }

    @Test("a snoozing run after the cancel request ends cancelled, its attempt not given back", arguments: TestBackend.all)
    func snoozeAfterRequest(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let job = try await claimThenCancel(store, "sleepy")
        let ended = testEpoch.addingTimeInterval(2)
        let result = RunResult(job: job, outcome: .exited(75), policy: policy, now: ended)
        #expect(result.disposition.isSnooze)

        #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
        try await expectCancelled(store, job, at: ended)
    }

    @Test("a lost run with a cancel request ends cancelled, not retried", arguments: TestBackend.all)
    func lostRunAfterRequest(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let job = try await claimThenCancel(store, "orphan")
        let lapsed = testEpoch.addingTimeInterval(51)
        let result = RunResult(job: job, outcome: .workerLost, policy: policy, now: lapsed, runDuration: nil)
        #expect(result.disposition.state == .failed)

        #expect(try await store.recordLostRun(result, of: try #require(JobClaim(job)), now: lapsed, leaseTimeout: 30))
        try await expectCancelled(store, job, at: lapsed)
    }

    @Test("a run released by its stopping worker after the cancel request ends cancelled, not pending", arguments: TestBackend.all)
    func releaseAfterRequest(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let job = try await claimThenCancel(store, "aborted")
        let at = testEpoch.addingTimeInterval(2)

        #expect(try await store.releaseJob(try #require(JobClaim(job)), now: at))
        let stored = try #require(try await store.job(job.id))
        #expect(stored.state == .cancelled)
        #expect(stored.lastError == RunOutcome.cancelledError)
        #expect(stored.attempts == 0, "the aborted run is not counted, as for any release")
        #expect(stored.finishedAt == at && stored.worker == nil)
        #expect(try await store.claimJobs(registering: ["w-later"], now: at.addingTimeInterval(100_000)).isEmpty)
        // Without a request a release still puts the job back.
        try await store.enqueue([makeJob("plain")])
        let plain = try #require(try await store.claimJobs(registering: ["w-plain"], now: at).first)
        #expect(try await store.releaseJob(try #require(JobClaim(plain)), now: at))
        #expect(try await store.job(plain.id)?.state == .pending)
    }

    @Test("without a request for this run the same ends stand; a success after a request stays completed", arguments: TestBackend.all)
    func endsStandWithoutRequest(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let firstEnd = testEpoch.addingTimeInterval(2)
        try await store.enqueue([makeJob("plain", maxRetries: 3)])
        let plain = try #require(try await store.claimJobs(registering: ["w-plain"], now: firstEnd).first)
        let failed = RunResult(job: plain, outcome: .exited(1), policy: policy, now: firstEnd)
        #expect(failed.yieldsToCancelRequest)
        #expect(try await store.recordResult(failed, of: try #require(JobClaim(plain))))
        #expect(try await store.job(plain.id)?.state == .failed)

        let lucky = try await claimThenCancel(store, "lucky")
        let succeeded = RunResult(job: lucky, outcome: .succeeded, policy: policy, now: firstEnd)
        #expect(try await store.recordResult(succeeded, of: try #require(JobClaim(lucky))))
        #expect(try await store.job(lucky.id)?.state == .completed)
    }
}
