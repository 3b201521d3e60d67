import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Claiming, finishing and releasing runs, on every backend.
@Suite("Claim and run", .storeScope)
struct ClaimContractTests {
    @Test("jobs are claimed by priority, then run_at, then enqueue order", arguments: TestBackend.all)
    func claimOrder(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let early = testEpoch.addingTimeInterval(-60)
        try await store.enqueue([
            makeJob("low-1"), makeJob("high-late", priority: 5), makeJob("low-2"),
            makeJob("high-early", priority: 5, runAt: early), makeJob("low-early", runAt: early),
            makeJob("negative", priority: -1, runAt: early.addingTimeInterval(-3600)),
        ])
        var order: [String] = []
        for round in 0..<6 {
            let claimed = try await store.claimJobs(registering: ["w\(round)"], queues: [], now: testEpoch)
            order += claimed.map(\.id.rawValue)
        }
        #expect(order == ["high-early", "high-late", "low-early", "low-1", "low-2", "negative"])
        #expect(try await store.claimJobs(registering: ["w9"], queues: [], now: testEpoch).isEmpty)
    }

    @Test("one claim hands out jobs in contract order to distinct workers", arguments: TestBackend.all)
    func batchClaim(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([
            makeJob("p1", priority: 1), makeJob("p3", priority: 3), makeJob("p2", priority: 2), makeJob("p0"),
        ])
        let now = testEpoch.addingTimeInterval(5)
        let claimed = try await store.claimJobs(registering: ["w-a", "w-b", "w-c"], queues: [], now: now)
        #expect(claimed.map(\.id.rawValue) == ["p3", "p2", "p1"])
        #expect(claimed.map { $0.worker ?? "" } == ["w-a", "w-b", "w-c"])
        for job in claimed {
            #expect(job.state == .processing)
            #expect(job.attempts == 1)
            #expect(job.startedAt == now)
            #expect(job.updatedAt == now)
            #expect(job.finishedAt == nil)
            #expect(try await store.job(job.id) == job)
        }
        #expect(try await store.counts(now: now).processing == 3)
        let rest = try await store.claimJobs(registering: ["w-d", "w-e"], queues: [], now: now)
        #expect(rest.map(\.id.rawValue) == ["p0"])
        #expect(rest.first?.worker == "w-d")
    }

    @Test("a result claims the worker's next due job in the same write, never after a stale or stopped run", arguments: TestBackend.all)
    func resultClaimsNext(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([
            makeJob("first", priority: 9), makeJob("mail", priority: 7, queue: "mail"), makeJob("second", priority: 5),
            makeJob("third"), makeJob("later", priority: 8, runAt: testEpoch.addingTimeInterval(3600)),
        ])
        let first = try #require(try await store.claimJobs(registering: ["w1"], queues: [], now: testEpoch).first)
        #expect(first.id.rawValue == "first")
        let now = testEpoch.addingTimeInterval(2)
        let done = RunResult(disposition: .completed, exitCode: 0, lastError: nil, finishedAt: now)
        let recorded = try await store.recordResult(
            done, of: try #require(JobClaim(first)), thenClaimFrom: [Job.defaultQueue])
        #expect(recorded.applied)
        // Contract order within the asked queues: "mail" is in another queue, "later" is not due.
        let next = try #require(recorded.next)
        #expect(next.id.rawValue == "second")
        #expect(next.state == .processing)
        #expect(next.worker == "w1")
        #expect(next.attempts == 1)
        #expect(next.startedAt == now)
        #expect(try await store.job(next.id) == next)
        #expect(try await store.job(first.id)?.state == .completed)

        // The same result again is stale: nothing is written and nothing claimed.
        let stale = try await store.recordResult(done, of: try #require(JobClaim(first)), thenClaimFrom: [])
        #expect(stale == RecordedResult(applied: false, next: nil))
        #expect(try await store.job(JobID(trusted: "third"))?.state == .pending)

        // A worker asked to stop gets its result written but no further job.
        try await store.requestStop(.drain, workers: ["w1"])
        let last = try await store.recordResult(done, of: try #require(JobClaim(next)), thenClaimFrom: [])
        #expect(last == RecordedResult(applied: true, next: nil))
        #expect(try await store.job(next.id)?.state == .completed)
        #expect(try await store.counts(now: now).pending == 3)
    }

    @Test("a failed run whose retry is due at once (backoff_max 0) is written once and claimed cleanly", arguments: TestBackend.all)
    func retryDueAtOnce(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("flaky", maxRetries: 3)])
        let first = try #require(try await store.claimJobs(registering: ["w1"], queues: [], now: testEpoch).first)
        let now = testEpoch.addingTimeInterval(1)
        let failed = RunResult(job: first, outcome: .exited(1), policy: RetryPolicy(base: 2, maximum: 0), now: now)
        #expect(failed.disposition == .retry(at: now))
        let recorded = try await store.recordResult(failed, of: try #require(JobClaim(first)), thenClaimFrom: [])
        #expect(recorded.applied)
        // The write may hand the job straight back as the slot's next one (SQLite) or leave it due (PostgreSQL);
        // either way its second attempt starts exactly once.
        var second = recorded.next
        if second == nil { second = try await store.claimJobs(for: ["w1"], queues: [], now: now).first }
        let secondRun = try #require(second)
        #expect(secondRun.id == first.id)
        #expect(secondRun.attempts == 2)
        #expect(secondRun.state == .processing)
        #expect(try await store.job(first.id) == secondRun)
        #expect(try await store.claimJobs(registering: ["w2"], queues: [], now: now).isEmpty)
        #expect(try await store.counters()[RunMetrics.runsRetried] == 1)
    }

    @Test("a job due in the future is not claimed until its run_at", arguments: TestBackend.all)
    func futureJobs(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let due = testEpoch.addingTimeInterval(30)
        try await store.enqueue([makeJob("later", priority: 100, runAt: due), makeJob("now")])

        let first = try await store.claimJobs(registering: ["w1", "w2"], queues: [], now: testEpoch)
        #expect(first.map(\.id.rawValue) == ["now"])
        #expect(try await store.claimJobs(registering: ["w1"], queues: [], now: due.addingTimeInterval(-0.001)).isEmpty)
        let second = try await store.claimJobs(registering: ["w1"], queues: [], now: due)
        #expect(second.map(\.id.rawValue) == ["later"])
    }

    @Test("a claim takes only jobs of the queues it names, or any queue when it names none", arguments: TestBackend.all)
    func queueFilter(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([
            makeJob("mail-1", queue: "mail"), makeJob("video-1", priority: 9, queue: "video"),
            makeJob("default-1"), makeJob("mail-2", queue: "mail"),
        ])
        let mail = try await store.claimJobs(registering: ["w1", "w2", "w3"], queues: ["mail"], now: testEpoch)
        #expect(mail.map(\.id.rawValue) == ["mail-1", "mail-2"])
        let several = try await store.claimJobs(registering: ["w4"], queues: ["default", "audio"], now: testEpoch)
        #expect(several.map(\.id.rawValue) == ["default-1"])
        #expect(try await store.claimJobs(registering: ["w5"], queues: ["audio"], now: testEpoch).isEmpty)
        let any = try await store.claimJobs(registering: ["w6", "w7"], queues: [], now: testEpoch)
        #expect(any.map(\.id.rawValue) == ["video-1"])
    }

    @Test("a completed run records its exit code and end time and leaves no worker", arguments: TestBackend.all)
    func recordCompleted(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("ok")])
        let job = try #require(try await store.claimJobs(registering: ["w1"], queues: [], now: testEpoch).first)
        let end = testEpoch.addingTimeInterval(2.5)

        let result = RunResult(disposition: .completed, exitCode: 0, lastError: nil, finishedAt: end)
        #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
        let stored = try #require(try await store.job(job.id))
        #expect(stored.state == .completed)
        #expect(stored.exitCode == 0)
        #expect(stored.lastError == nil)
        #expect(stored.worker == nil)
        #expect(stored.attempts == 1)
        #expect(stored.startedAt == testEpoch)
        #expect(stored.finishedAt == end)
        #expect(stored.updatedAt == end)
        #expect(stored.runAt == testEpoch)
        // A completed job is never claimed again.
        #expect(try await store.claimJobs(registering: ["w1"], queues: [], now: end.addingTimeInterval(9999)).isEmpty)
    }

    @Test("a failed run scheduled for retry waits for its backoff and is claimed again", arguments: TestBackend.all)
    func recordRetry(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("flaky", maxRetries: 2)])
        let job = try #require(try await store.claimJobs(registering: ["w1"], queues: [], now: testEpoch).first)
        let end = testEpoch.addingTimeInterval(1)
        let result = RunResult(job: job, outcome: .exited(3), policy: RetryPolicy(base: 2, maximum: 3600), now: end)
        #expect(result.disposition == .retry(at: end.addingTimeInterval(2)))

        #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
        let failed = try #require(try await store.job(job.id))
        #expect(failed.state == .failed)
        #expect(failed.exitCode == 3)
        #expect(failed.lastError == "exited with code 3")
        #expect(failed.runAt == end.addingTimeInterval(2))
        #expect(failed.worker == nil)
        #expect(failed.finishedAt == end)

        #expect(try await store.claimJobs(registering: ["w1"], queues: [], now: end.addingTimeInterval(1.999)).isEmpty)
        let again = try #require(try await store.claimJobs(registering: ["w2"], queues: [], now: end.addingTimeInterval(2)).first)
        #expect(again.id == job.id)
        #expect(again.attempts == 2)
        #expect(again.worker == "w2")
        #expect(again.finishedAt == nil)
    }

    @Test("a run that used up its retries puts the job in the dead letter queue", arguments: TestBackend.all)
    func recordDead(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("doomed", maxRetries: 0)])
        let job = try #require(try await store.claimJobs(registering: ["w1"], queues: [], now: testEpoch).first)
        let result = RunResult(job: job, outcome: .signalled(9), policy: RetryPolicy(base: 2, maximum: 10), now: testEpoch)
        #expect(result.disposition == .dead)

        #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
        let dead = try #require(try await store.job(job.id))
        #expect(dead.state == .dead)
        #expect(dead.exitCode == 137)
        #expect(dead.lastError == "killed by signal 9 (SIGKILL)")
        #expect(try await store.jobs(JobFilter(state: .dead)).map(\.id) == [job.id])
        #expect(try await store.claimJobs(registering: ["w1"], queues: [], now: testEpoch.addingTimeInterval(9999)).isEmpty)
    }

    @Test("a stale run can neither record a result nor release the job", arguments: TestBackend.all)
    func fencing(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("fenced")])
        let first = try #require(try await store.claimJobs(registering: ["w1"], queues: [], now: testEpoch).first)
        let firstClaim = try #require(JobClaim(first))
        // The first run is presumed lost: recovery records the failure and the job is claimed again.
        let lost = RunResult(
            disposition: .retry(at: testEpoch), exitCode: nil, lastError: "worker lost", finishedAt: testEpoch)
        #expect(try await store.recordResult(lost, of: firstClaim))
        let second = try #require(try await store.claimJobs(registering: ["w2"], queues: [], now: testEpoch).first)
        #expect(second.attempts == 2)
        let before = try #require(try await store.job(second.id))

        // The old run finishing late changes nothing, whether it reports success or gives the job back.
        let late = RunResult(
            disposition: .completed, exitCode: 0, lastError: nil, finishedAt: testEpoch,
            tally: RunTally(outcome: .completed, runDuration: 1, pickupDelay: 0))
        #expect(try await store.recordResult(late, of: firstClaim) == false)
        #expect(try await store.releaseJob(firstClaim, now: testEpoch) == false)
        // Same attempt number but another worker, or same worker and another attempt: also refused.
        let wrongWorker = JobClaim(jobID: second.id, attempt: 2, worker: "w1")
        #expect(try await store.recordResult(late, of: wrongWorker) == false)
        #expect(try await store.releaseJob(JobClaim(jobID: second.id, attempt: 1, worker: "w2"), now: testEpoch) == false)
        #expect(try await store.job(second.id) == before)
        #expect(try await store.counters()[RunMetrics.runsCompleted] == nil)

        // A job that is no longer processing refuses even its own claim a second time.
        let secondClaim = try #require(JobClaim(second))
        let done = RunResult(disposition: .completed, exitCode: 0, lastError: nil, finishedAt: testEpoch)
        #expect(try await store.recordResult(done, of: secondClaim))
        #expect(try await store.recordResult(done, of: secondClaim) == false)
        #expect(try await store.releaseJob(secondClaim, now: testEpoch) == false)
        #expect(try await store.job(second.id)?.state == .completed)
    }

    @Test("a released job goes back to pending without counting the run", arguments: TestBackend.all)
    func release(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("interrupted")])
        let job = try #require(try await store.claimJobs(registering: ["w1"], queues: [], now: testEpoch).first)
        #expect(job.attempts == 1)
        let later = testEpoch.addingTimeInterval(4)

        #expect(try await store.releaseJob(try #require(JobClaim(job)), now: later))
        let released = try #require(try await store.job(job.id))
        #expect(released.state == .pending)
        #expect(released.attempts == 0)
        #expect(released.worker == nil)
        #expect(released.startedAt == nil)
        #expect(released.updatedAt == later)
        #expect(try await store.counts(now: later).pending == 1)
        let again = try #require(try await store.claimJobs(registering: ["w2"], queues: [], now: later).first)
        #expect(again.id == job.id)
        #expect(again.attempts == 1)
    }

    @Test("run counters accumulate over results and only for results that apply", arguments: TestBackend.all)
    func counters(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        #expect(try await store.counters().isEmpty)
        try await store.enqueue(makeJobs(3))
        let claimed = try await store.claimJobs(registering: ["w1", "w2", "w3"], queues: [], now: testEpoch)
        let end = testEpoch.addingTimeInterval(0.25)
        for job in claimed {
            let result = RunResult(job: job, outcome: .succeeded, policy: RetryPolicy(base: 2, maximum: 60), now: end)
            #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
        }
        let totals = try await store.counters()
        #expect(totals[RunMetrics.runsCompleted] == 3)
        #expect(totals["run_duration_seconds_count"] == 3)
        #expect(totals["run_duration_seconds_sum"] == 0.75)
        #expect(totals[RunMetrics.binName(RunMetrics.runDuration, upperBound: 0.5)] == 3)
        #expect(totals[RunMetrics.binName(RunMetrics.runDuration, upperBound: 0.1)] == nil)
        #expect(totals[RunMetrics.runsRetried] == nil && totals[RunMetrics.runsDead] == nil)
    }

    @Test("the next due time is the earliest run_at of waiting jobs in the named queues", arguments: TestBackend.all)
    func nextDueTime(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        #expect(try await store.nextDueTime(queues: []) == nil)
        let inTen = testEpoch.addingTimeInterval(10)
        let inFive = testEpoch.addingTimeInterval(5)
        let inThree = testEpoch.addingTimeInterval(3)
        try await store.enqueue([
            makeJob("ten", runAt: inTen), makeJob("five", runAt: inFive, queue: "other"),
            makeJob("three", runAt: inThree),
        ])
        #expect(try await store.nextDueTime(queues: []) == inThree)
        #expect(try await store.nextDueTime(queues: ["other"]) == inFive)
        #expect(try await store.nextDueTime(queues: ["none"]) == nil)
        // A processing job is not waiting; a failed one is, at its retry time.
        let claimed = try #require(try await store.claimJobs(registering: ["w1"], queues: ["default"], now: inThree).first)
        #expect(claimed.id.rawValue == "three")
        #expect(try await store.nextDueTime(queues: ["default"]) == inTen)
        let retryAt = testEpoch.addingTimeInterval(4)
        let result = RunResult(disposition: .retry(at: retryAt), exitCode: 1, lastError: "x", finishedAt: inThree)
        #expect(try await store.recordResult(result, of: try #require(JobClaim(claimed))))
        #expect(try await store.nextDueTime(queues: ["default"]) == retryAt)
    }
}
