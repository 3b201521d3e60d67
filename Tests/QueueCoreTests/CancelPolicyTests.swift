import Foundation
import QueueCore
import Testing

/// A cancelled run in the core's rules: never retried, whatever retries or exit-code rules say.
@Suite("Cancelled runs")
struct CancelPolicyTests {
    @Test("a cancelled run ends the job cancelled with last_error 'cancelled', retries left or not")
    func neverRetried() {
        var job = Job(
            id: JobID(trusted: "c1"), command: "sleep 9", maxRetries: 5, runAt: testDate, queue: "default",
            createdAt: testDate)
        job.attempts = 1
        job.startedAt = testDate
        let policy = RetryPolicy(
            base: 2, maximum: 60, noRetryExitCodes: [143], snooze: RetryPolicy.Snooze(exitCode: 75, delay: 10, maximum: 5))
        let result = RunResult(job: job, outcome: .cancelled, policy: policy, now: testDate.addingTimeInterval(3))
        #expect(result.disposition == .cancelled)
        #expect(result.disposition.state == .cancelled && result.disposition.dueAgainAt == nil)
        #expect(result.lastError == "cancelled" && result.exitCode == nil)
        #expect(result.counterIncrements[RunMetrics.runsCancelled] == 1)
        #expect(result.counterIncrements[RunMetrics.jobsCancelled] == 1)
        #expect(result.counterIncrements[RunMetrics.runsRetried] == nil)
    }

    private var testDate: Date { Date(timeIntervalSince1970: 1_800_000_000) }
}

/// Which jobs a cancel stops at once, which it asks a worker to stop, and which refuse it: decided once, in the
/// core, for both stores.
@Suite("Cancel selection")
struct CancelSelectionTests {
    private func ids(_ texts: String...) -> [JobID] { texts.map { JobID(trusted: $0) } }

    @Test("pending and failed jobs are cancelled at once, processing ones asked of their worker, in the order given")
    func split() throws {
        let selection = try CancelSelection(
            ids("r", "p", "f"), states: ["p": "pending", "f": "failed", "r": "processing"])
        #expect(selection.waiting == ids("p", "f"))
        #expect(selection.running == ids("r"))
    }

    @Test("the first unknown id or finished job refuses the whole cancel", arguments: ["completed", "dead", "cancelled"])
    func refusals(state: String) {
        #expect(throws: QueueError.jobNotFound(JobID(trusted: "x"))) {
            try CancelSelection(self.ids("a", "x"), states: ["a": "pending"])
        }
        #expect(throws: QueueError.jobNotCancellable(JobID(trusted: "b"), JobState(rawValue: state) ?? .pending)) {
            try CancelSelection(self.ids("a", "b"), states: ["a": "pending", "b": state])
        }
        #expect(
            QueueError.jobNotCancellable(JobID(trusted: "b"), .dead).description
                == "job 'b' is dead; only pending, failed or processing jobs can be cancelled; nothing was cancelled")
    }
}
