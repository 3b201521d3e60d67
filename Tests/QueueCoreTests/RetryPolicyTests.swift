import Foundation
import QueueCore
import Testing

/// Backoff delays and the retry/dead decision.
@Suite("Retry policy")
struct RetryPolicyTests {
    static let delays: [(base: Double, maximum: Double, attempts: Int, seconds: Double)] = [
        (2, 3600, 1, 2), (2, 3600, 2, 4), (2, 3600, 3, 8), (2, 3600, 10, 1024), (2, 3600, 12, 3600),
        (2, 5, 3, 5), (3, 3600, 2, 9), (1, 3600, 1, 1), (1, 3600, 50, 1), (1.5, 3600, 2, 2.25),
        (2, 3600, 100_000, 3600), (2, 0, 1, 0),
    ]

    @Test("the delay after n failures is min(base^n, max)", arguments: delays)
    func delay(base: Double, maximum: Double, attempts: Int, seconds: Double) {
        #expect(RetryPolicy(base: base, maximum: maximum).delay(afterAttempts: attempts) == seconds)
    }

    @Test("with 3 retries the first three failures retry after 2, 4 and 8 s and the fourth is dead")
    func dispositions() {
        let policy = RetryPolicy(QueueConfig())
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(policy.disposition(afterFailedAttempt: 1, maxRetries: 3, now: now) == .retry(at: now + 2))
        #expect(policy.disposition(afterFailedAttempt: 2, maxRetries: 3, now: now) == .retry(at: now + 4))
        #expect(policy.disposition(afterFailedAttempt: 3, maxRetries: 3, now: now) == .retry(at: now + 8))
        #expect(policy.disposition(afterFailedAttempt: 4, maxRetries: 3, now: now) == .dead)
    }

    @Test("a job with no retries is dead after its first failure")
    func noRetries() {
        let now = Date(timeIntervalSince1970: 0)
        #expect(RetryPolicy(base: 2, maximum: 60).disposition(afterFailedAttempt: 1, maxRetries: 0, now: now) == .dead)
    }

    @Test("a run outcome becomes a result with the exit code, error text and counters")
    func runResult() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let job = Job(
            id: JobID(trusted: "j"), command: "false", maxRetries: 1, runAt: start, state: .processing, attempts: 1,
            createdAt: start, startedAt: start.addingTimeInterval(0.5), worker: "w")
        let end = start.addingTimeInterval(1.5)
        let failed = RunResult(job: job, outcome: .exited(1), policy: RetryPolicy(base: 2, maximum: 60), now: end)
        #expect(failed.disposition == .retry(at: end + 2))
        #expect(failed.exitCode == 1)
        #expect(failed.lastError == "exited with code 1")
        #expect(failed.finishedAt == end)
        #expect(failed.counterIncrements[RunMetrics.runsRetried] == 1)

        var last = job
        last.attempts = 2
        let dead = RunResult(job: last, outcome: .timedOut(seconds: 5), policy: RetryPolicy(base: 2, maximum: 60), now: end)
        #expect(dead.disposition == .dead)
        #expect(dead.exitCode == nil)
        #expect(dead.lastError == "timed out after 5s")

        let ok = RunResult(job: job, outcome: .succeeded, policy: RetryPolicy(base: 2, maximum: 60), now: end)
        #expect(ok.disposition == .completed)
        #expect(ok.exitCode == 0)
        #expect(ok.lastError == nil)
    }

    static let outcomes: [(RunOutcome, Int32?, String?)] = [
        (.succeeded, 0, nil), (.exited(3), 3, "exited with code 3"),
        (.signalled(9), 137, "killed by signal 9 (SIGKILL)"), (.signalled(15), 143, "killed by signal 15 (SIGTERM)"),
        (.signalled(40), 168, "killed by signal 40"), (.timedOut(seconds: 60), nil, "timed out after 60s"),
        (.spawnFailed("no such file"), nil, "could not start: no such file"), (.workerLost, nil, "worker lost"),
    ]

    @Test("each outcome records the exit code and error text users see", arguments: outcomes)
    func outcomeText(outcome: RunOutcome, exitCode: Int32?, text: String?) {
        #expect(outcome.exitCode == exitCode)
        #expect(outcome.errorDescription == text)
        #expect(outcome.succeeded == (outcome == .succeeded))
    }
}
