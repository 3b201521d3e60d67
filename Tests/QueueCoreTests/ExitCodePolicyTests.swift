import Foundation
import QueueCore
import Testing

/// The exit-code rules of `RetryPolicy`: no-retry codes, snoozes and `max_snoozes`, every branch and message.
@Suite("Exit-code policy")
struct ExitCodePolicyTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Config no-retry codes 2 and 127; snooze code 75, 10 s, at most 3 snoozes.
    static let policy = RetryPolicy(
        base: 2, maximum: 60, noRetryExitCodes: [2, 127],
        snooze: RetryPolicy.Snooze(exitCode: 75, delay: 10, maximum: 3))

    /// A job as claimed: run number `attempts`, `snoozes` snoozes so far, its own no-retry codes.
    static func job(attempts: Int = 1, maxRetries: Int = 3, snoozes: Int = 0, noRetry: [Int32] = []) -> Job {
        Job(
            id: JobID(trusted: "j"), command: "x", maxRetries: maxRetries, runAt: now, state: .processing,
            attempts: attempts, createdAt: now, startedAt: now, worker: "w", noRetryExitCodes: noRetry, snoozes: snoozes)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let job: Job
        let outcome: RunOutcome
        let verdict: ExitCodeVerdict
        let disposition: Disposition
        let lastError: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "success", job: job(), outcome: .succeeded, verdict: .ordinary, disposition: .completed, lastError: nil),
        Case(
            name: "ordinary failure retries", job: job(), outcome: .exited(1), verdict: .ordinary,
            disposition: .retry(at: now + 2), lastError: "exited with code 1"),
        Case(
            name: "config no-retry code with retries left is dead", job: job(), outcome: .exited(127),
            verdict: .noRetry(127), disposition: .dead,
            lastError: "exited with code 127, which is in no_retry_exit_codes: not retried"),
        Case(
            name: "job no-retry code is dead", job: job(noRetry: [64]), outcome: .exited(64), verdict: .noRetry(64),
            disposition: .dead, lastError: "exited with code 64, which is in no_retry_exit_codes: not retried"),
        Case(
            name: "a code in another job's list is ordinary", job: job(noRetry: [64]), outcome: .exited(65),
            verdict: .ordinary, disposition: .retry(at: now + 2), lastError: "exited with code 65"),
        Case(
            name: "snooze", job: job(snoozes: 0), outcome: .exited(75), verdict: .snooze(75, number: 1, of: 3),
            disposition: .snooze(until: now + 10),
            lastError: "exited with code 75: snoozed (1 of at most 3), not counted as an attempt"),
        Case(
            name: "snooze on the last attempt still snoozes", job: job(attempts: 4, snoozes: 2), outcome: .exited(75),
            verdict: .snooze(75, number: 3, of: 3), disposition: .snooze(until: now + 10),
            lastError: "exited with code 75: snoozed (3 of at most 3), not counted as an attempt"),
        Case(
            name: "past max_snoozes a snooze is a failed run", job: job(attempts: 1, snoozes: 3), outcome: .exited(75),
            verdict: .snoozeLimitReached(75, snoozes: 3), disposition: .retry(at: now + 2),
            lastError: "exited with code 75 after 3 snoozes (max_snoozes): counted as a failed run"),
        Case(
            name: "past max_snoozes on the last attempt is dead", job: job(attempts: 4, snoozes: 3),
            outcome: .exited(75), verdict: .snoozeLimitReached(75, snoozes: 3), disposition: .dead,
            lastError: "exited with code 75 after 3 snoozes (max_snoozes): counted as a failed run"),
        Case(
            name: "no-retry beats snooze", job: job(noRetry: [75]), outcome: .exited(75), verdict: .noRetry(75),
            disposition: .dead, lastError: "exited with code 75, which is in no_retry_exit_codes: not retried"),
        Case(
            name: "a signal is not an exit code", job: job(), outcome: .signalled(2), verdict: .ordinary,
            disposition: .retry(at: now + 2), lastError: "killed by signal 2 (SIGINT)"),
        Case(
            name: "a timeout is not an exit code", job: job(noRetry: [75]), outcome: .timedOut(seconds: 5),
            verdict: .ordinary, disposition: .retry(at: now + 2), lastError: "timed out after 5s"),
        Case(
            name: "a lost worker is not an exit code", job: job(attempts: 4), outcome: .workerLost, verdict: .ordinary,
            disposition: .dead, lastError: "worker lost"),
    ]

    @Test("each outcome gets its verdict, disposition and last_error", arguments: cases)
    func decisions(_ testCase: Case) {
        #expect(Self.policy.verdict(on: testCase.outcome, of: testCase.job) == testCase.verdict)
        #expect(Self.policy.disposition(of: testCase.job, outcome: testCase.outcome, now: Self.now) == testCase.disposition)
        let result = RunResult(job: testCase.job, outcome: testCase.outcome, policy: Self.policy, now: Self.now)
        #expect(result.disposition == testCase.disposition)
        #expect(result.lastError == testCase.lastError)
        #expect(result.exitCode == testCase.outcome.exitCode)
    }

    @Test("a snoozed run counts as snoozed in the run counters, and in no other outcome")
    func snoozeCounter() {
        let result = RunResult(job: Self.job(), outcome: .exited(75), policy: Self.policy, now: Self.now)
        #expect(result.counterIncrements[RunMetrics.runsSnoozed] == 1)
        #expect(result.counterIncrements[RunMetrics.runsRetried] == nil)
        #expect(result.counterIncrements[RunMetrics.runsDead] == nil)
        #expect(result.counterIncrements[RunMetrics.runsCompleted] == nil)
    }

    @Test("a snooze lands in pending, is due again, and is the only disposition that gives the attempt back")
    func dispositionProperties() {
        #expect(Disposition.snooze(until: Self.now).state == .pending)
        #expect(Disposition.snooze(until: Self.now).dueAgainAt == Self.now)
        #expect(Disposition.snooze(until: Self.now).isSnooze)
        #expect(Disposition.retry(at: Self.now).dueAgainAt == Self.now)
        #expect(!Disposition.retry(at: Self.now).isSnooze)
        #expect(Disposition.dead.dueAgainAt == nil && Disposition.completed.dueAgainAt == nil)
    }

    @Test("the configuration's policy: snooze_exit_code 0 turns snoozing off, the other keys fill the rules")
    func fromConfiguration() throws {
        var config = QueueConfig()
        let defaults = RetryPolicy(config)
        #expect(defaults.snooze == RetryPolicy.Snooze(exitCode: 75, delay: 10, maximum: 100))
        #expect(defaults.noRetryExitCodes.isEmpty)
        try config.set(.noRetryExitCodes, to: "2,64")
        try config.set(.snoozeDelay, to: "3")
        try config.set(.maxSnoozes, to: "7")
        #expect(RetryPolicy(config).noRetryExitCodes == [2, 64])
        #expect(RetryPolicy(config).snooze == RetryPolicy.Snooze(exitCode: 75, delay: 3, maximum: 7))
        try config.set(.snoozeExitCode, to: "0")
        let off = RetryPolicy(config)
        #expect(off.snooze == nil)
        #expect(off.verdict(on: .exited(75), of: Self.job()) == .ordinary)
    }

    @Test("a run is judged by the exit-code rules it started with and delayed by the backoff of the end")
    func exitCodeRulesOfTheStart() {
        let later = RetryPolicy(base: 3, maximum: 60)
        let combined = later.withExitCodeRules(of: Self.policy)
        #expect(combined.base == 3)
        #expect(combined.noRetryExitCodes == [2, 127])
        #expect(combined.snooze == Self.policy.snooze)
        #expect(combined.disposition(of: Self.job(), outcome: .exited(1), now: Self.now) == .retry(at: Self.now + 3))
    }
}
