import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// The run counters of a run whose retry or snooze a cancel request won over: they count what the store
/// wrote (one cancelled run, one cancelled job), not the run's normal end, on every backend.
@Suite("Counters of a cancel that wins over a run's end", .storeScope)
struct CancelRaceCounterContractTests {
    /// Snooze code 75, due again 10 s later.
    private let policy = RetryPolicy(
        base: 2, maximum: 60, snooze: RetryPolicy.Snooze(exitCode: 75, delay: 10, maximum: 100))

    /// The outcome counters and `jobs_cancelled_total` that changed between `before` and `after`.
    private func changes(from before: [String: Double], to after: [String: Double]) -> [String: Double] {
        let names = [
            RunMetrics.runsCompleted, RunMetrics.runsRetried, RunMetrics.runsDead, RunMetrics.runsSnoozed,
            RunMetrics.runsCancelled, RunMetrics.jobsCancelled,
        ]
        var result: [String: Double] = [:]
        for name in names where (after[name] ?? 0) != (before[name] ?? 0) {
            result[name] = (after[name] ?? 0) - (before[name] ?? 0)
        }
        return result
    }

    /// Claims `id` (3 retries) for `w-<id>` at the epoch; with `cancelled`, stores a cancel request 1 s later.
    private func claim(_ store: any JobStore, _ id: String, cancelled: Bool) async throws -> Job {
        try await store.enqueue([makeJob(id, maxRetries: 3)])
        let job = try #require(try await store.claimJobs(registering: ["w-\(id)"], now: testEpoch).first)
        if cancelled { _ = try await store.cancelJobs([job.id], grace: .seconds(10), now: testEpoch.addingTimeInterval(1)) }
        return job
    }

    @Test(
        "a failure or snooze that a cancel request won over counts as one cancelled run; without a request it counts as retried or snoozed",
        arguments: TestBackend.all)
    func cancelWinsCounters(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let ended = testEpoch.addingTimeInterval(2)
        for (exitCode, normal) in [(Int32(1), RunMetrics.runsRetried), (75, RunMetrics.runsSnoozed)] {
            let raced = try await claim(store, "raced-\(exitCode)", cancelled: true)
            var before = try await store.counters()
            let result = RunResult(job: raced, outcome: .exited(exitCode), policy: policy, now: ended)
            let recorded = try await store.recordResult(result, of: try #require(JobClaim(raced)), thenClaimFrom: nil)
            #expect(recorded.applied && recorded.endedCancelled)
            #expect(
                changes(from: before, to: try await store.counters())
                    == [RunMetrics.runsCancelled: 1, RunMetrics.jobsCancelled: 1])

            let plain = try await claim(store, "plain-\(exitCode)", cancelled: false)
            before = try await store.counters()
            let plainResult = RunResult(job: plain, outcome: .exited(exitCode), policy: policy, now: ended)
            let plainRecorded = try await store.recordResult(
                plainResult, of: try #require(JobClaim(plain)), thenClaimFrom: nil)
            #expect(plainRecorded.applied && !plainRecorded.endedCancelled)
            #expect(changes(from: before, to: try await store.counters()) == [normal: 1])
        }
    }

    @Test("a lost run that a cancel request won over counts as one cancelled run", arguments: TestBackend.all)
    func lostRunCounters(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let job = try await claim(store, "orphan", cancelled: true)
        let lapsed = testEpoch.addingTimeInterval(51)
        let before = try await store.counters()
        let result = RunResult(job: job, outcome: .workerLost, policy: policy, now: lapsed, runDuration: nil)
        #expect(try await store.recordLostRun(result, of: try #require(JobClaim(job)), now: lapsed, leaseTimeout: 30))
        #expect(
            changes(from: before, to: try await store.counters())
                == [RunMetrics.runsCancelled: 1, RunMetrics.jobsCancelled: 1])
    }

    @Test("a release that ends cancelled counts a cancelled job; a plain release counts nothing", arguments: TestBackend.all)
    func releaseCounters(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let at = testEpoch.addingTimeInterval(2)
        let aborted = try await claim(store, "aborted", cancelled: true)
        var before = try await store.counters()
        #expect(try await store.releaseJob(try #require(JobClaim(aborted)), now: at))
        #expect(changes(from: before, to: try await store.counters()) == [RunMetrics.jobsCancelled: 1])

        let plain = try await claim(store, "plain", cancelled: false)
        before = try await store.counters()
        #expect(try await store.releaseJob(try #require(JobClaim(plain)), now: at))
        #expect(changes(from: before, to: try await store.counters()).isEmpty)
    }
}
