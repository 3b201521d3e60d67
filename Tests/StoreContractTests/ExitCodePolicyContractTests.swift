import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// The exit-code rules as the stores apply them (`no_retry_exit_codes`, snoozes), on every backend: the core's
/// `RetryPolicy` decides, the store writes the disposition guarded by the claim.
@Suite("Exit-code policy", .storeScope)
struct ExitCodePolicyContractTests {
    /// Snooze code 75, due again 10 s later, at most `maxSnoozes` snoozes; `noRetry` from the configuration.
    private func policy(maxSnoozes: Int = 100, noRetry: Set<Int32> = []) -> RetryPolicy {
        RetryPolicy(
            base: 2, maximum: 60, noRetryExitCodes: noRetry,
            snooze: RetryPolicy.Snooze(exitCode: 75, delay: 10, maximum: maxSnoozes))
    }

    /// Claims `id` at `now` for a fresh worker, ends the run with `outcome` at `now` and returns the job as stored.
    private func run(
        _ id: String, in store: any JobStore, outcome: RunOutcome, policy: RetryPolicy, now: Date, worker: String
    ) async throws -> Job {
        let claimed = try await store.claimJobs(registering: [worker], now: now)
        let job = try #require(claimed.first)
        #expect(job.id.rawValue == id)
        let result = RunResult(job: job, outcome: outcome, policy: policy, now: now)
        #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
        return try #require(try await store.job(JobID(trusted: id)))
    }

    @Test("a job's no_retry_exit_codes survive enqueue, claim and listing; snoozes start at 0", arguments: TestBackend.all)
    func roundTrip(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let listed = try JobSpec(id: "listed", command: "true", noRetryExitCodes: [64, 2, 64])
            .resolved(config: QueueConfig(), now: testEpoch)
        let plain = try makeSpec("true", id: "plain").resolved(config: QueueConfig(), now: testEpoch)
        #expect(listed.noRetryExitCodes == [2, 64])
        try await store.enqueue([listed, plain])

        #expect(try await store.job(JobID(trusted: "listed")) == listed)
        #expect(try await store.job(JobID(trusted: "plain"))?.noRetryExitCodes == [])
        let claimed = try await store.claimJobs(registering: ["w-1", "w-2"], now: testEpoch)
        #expect(claimed.map(\.noRetryExitCodes) == [[2, 64], []])
        #expect(claimed.map(\.snoozes) == [0, 0])
        #expect(try await store.jobs(JobFilter()).map(\.noRetryExitCodes) == [[2, 64], []])
    }

    @Test("a snoozed run gives its attempt back: pending, due after the snooze delay, snoozes + 1", arguments: TestBackend.all)
    func snoozeKeepsAttempts(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("s", maxRetries: 0)])

        var now = testEpoch
        for round in 1...3 {
            let job = try await run("s", in: store, outcome: .exited(75), policy: policy(), now: now, worker: "w-\(round)")
            #expect(job.state == .pending)
            #expect(job.attempts == 0)
            #expect(job.snoozes == round)
            #expect(job.runAt == now.addingTimeInterval(10))
            #expect(job.exitCode == 75)
            #expect(job.lastError == "exited with code 75: snoozed (\(round) of at most 100), not counted as an attempt")
            #expect(job.worker == nil)
            // Not due before the snooze delay has passed.
            #expect(try await store.claimJobs(registering: ["early-\(round)"], now: now.addingTimeInterval(9)).isEmpty)
            now = now.addingTimeInterval(10)
        }
        // With max_retries 0 three snoozes never used up the one run it has: it still completes.
        let done = try await run("s", in: store, outcome: .succeeded, policy: policy(), now: now, worker: "w-last")
        #expect(done.state == .completed)
        #expect(done.attempts == 1)
        #expect(done.snoozes == 3)
        let counters = try await store.counters()
        #expect(counters[RunMetrics.runsSnoozed] == 3)
        #expect(counters[RunMetrics.runsCompleted] == 1)
        #expect(try await store.counts(now: now).completed == 1)
    }

    @Test("once a job has max_snoozes snoozes, a further snooze is an ordinary failed run", arguments: TestBackend.all)
    func maxSnoozes(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("m", maxRetries: 1)])
        let limited = policy(maxSnoozes: 2)

        var now = testEpoch
        for round in 1...2 {
            let job = try await run("m", in: store, outcome: .exited(75), policy: limited, now: now, worker: "w-\(round)")
            #expect(job.state == .pending && job.attempts == 0 && job.snoozes == round)
            now = now.addingTimeInterval(10)
        }
        let failed = try await run("m", in: store, outcome: .exited(75), policy: limited, now: now, worker: "w-3")
        #expect(failed.state == .failed)
        #expect(failed.attempts == 1)
        #expect(failed.snoozes == 2)
        #expect(failed.runAt == now.addingTimeInterval(2))
        #expect(failed.lastError == "exited with code 75 after 2 snoozes (max_snoozes): counted as a failed run")
        now = now.addingTimeInterval(2)
        let dead = try await run("m", in: store, outcome: .exited(75), policy: limited, now: now, worker: "w-4")
        #expect(dead.state == .dead)
        #expect(dead.attempts == 2)
        #expect(dead.snoozes == 2)
        #expect(try await store.counters()[RunMetrics.runsSnoozed] == 2)
    }

    @Test("a no-retry code from the configuration or from the job sends a job with retries left straight to dead", arguments: TestBackend.all)
    func noRetryCodes(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let byJob = try JobSpec(id: "by-job", command: "exit 64", maxRetries: 5, noRetryExitCodes: [64])
            .resolved(config: QueueConfig(), now: testEpoch)
        try await store.enqueue([makeJob("by-config", maxRetries: 5), byJob, makeJob("neither", maxRetries: 5)])
        let rules = policy(noRetry: [127])

        let configured = try await run("by-config", in: store, outcome: .exited(127), policy: rules, now: testEpoch, worker: "w-1")
        #expect(configured.state == .dead)
        #expect(configured.attempts == 1)
        #expect(configured.exitCode == 127)
        #expect(configured.lastError == "exited with code 127, which is in no_retry_exit_codes: not retried")
        let listed = try await run("by-job", in: store, outcome: .exited(64), policy: rules, now: testEpoch, worker: "w-2")
        #expect(listed.state == .dead)
        #expect(listed.attempts == 1)
        // A code in neither list is retried as usual.
        let ordinary = try await run("neither", in: store, outcome: .exited(64), policy: rules, now: testEpoch, worker: "w-3")
        #expect(ordinary.state == .failed)
        #expect(try await store.counters()[RunMetrics.runsDead] == 2)
    }

    @Test("a job's own no-retry list beats the snooze code: the job goes to dead, not back to pending", arguments: TestBackend.all)
    func noRetryBeatsSnooze(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let optedOut = try JobSpec(id: "opted-out", command: "exit 75", maxRetries: 3, noRetryExitCodes: [75])
            .resolved(config: QueueConfig(), now: testEpoch)
        try await store.enqueue([optedOut])
        let job = try await run("opted-out", in: store, outcome: .exited(75), policy: policy(), now: testEpoch, worker: "w-1")
        #expect(job.state == .dead)
        #expect(job.snoozes == 0)
        #expect(job.attempts == 1)
    }

    @Test("retrying a dead job from the DLQ gives it a fresh snooze budget too", arguments: TestBackend.all)
    func dlqRetryResetsSnoozes(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("d", maxRetries: 0)])
        let limited = policy(maxSnoozes: 1)
        _ = try await run("d", in: store, outcome: .exited(75), policy: limited, now: testEpoch, worker: "w-1")
        let dead = try await run("d", in: store, outcome: .exited(75), policy: limited, now: testEpoch + 10, worker: "w-2")
        #expect(dead.state == .dead && dead.snoozes == 1)

        _ = try await store.retryDeadJobs(.jobs([JobID(trusted: "d")]), now: testEpoch + 20)
        let retried = try #require(try await store.job(JobID(trusted: "d")))
        #expect(retried.state == .pending && retried.attempts == 0 && retried.snoozes == 0)
        let snoozed = try await run("d", in: store, outcome: .exited(75), policy: limited, now: testEpoch + 20, worker: "w-3")
        #expect(snoozed.state == .pending && snoozed.snoozes == 1)
    }

    @Test("a snooze written for a run that is no longer held changes nothing", arguments: TestBackend.all)
    func snoozeIsGuarded(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("g", maxRetries: 3)])
        let job = try #require(try await store.claimJobs(registering: ["w-1"], now: testEpoch).first)
        let claim = try #require(JobClaim(job))
        let done = RunResult(job: job, outcome: .succeeded, policy: policy(), now: testEpoch)
        #expect(try await store.recordResult(done, of: claim))
        let late = RunResult(job: job, outcome: .exited(75), policy: policy(), now: testEpoch)
        #expect(late.disposition.isSnooze)
        #expect(try await store.recordResult(late, of: claim) == false)
        let stored = try #require(try await store.job(JobID(trusted: "g")))
        #expect(stored.state == .completed && stored.attempts == 1 && stored.snoozes == 0)
    }

    @Test("jobs written before migration 009 read back with no codes of their own and no snoozes, and can snooze", arguments: TestBackend.all)
    func jobsBeforeMigration(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        let before = try await backend.openScopedStore(url)
        try await before.enqueue([makeJob("old", maxRetries: 0)])
        try await backend.rollBack(url, to: 8)

        let after = try await backend.openScopedStore(url)
        let old = try #require(try await after.job(JobID(trusted: "old")))
        #expect(old.noRetryExitCodes == [] && old.snoozes == 0)
        let snoozed = try await run("old", in: after, outcome: .exited(75), policy: policy(), now: testEpoch, worker: "w-1")
        #expect(snoozed.state == .pending && snoozed.attempts == 0 && snoozed.snoozes == 1)
    }
}
