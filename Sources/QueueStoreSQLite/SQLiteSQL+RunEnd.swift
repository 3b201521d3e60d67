import Foundation
import GRDB
import QueueCore

/// The end of a run as constant text: every value is a numbered parameter (`RunEndParameter`), so the one text
/// is prepared once per connection and found in its statement cache by `cachedStatement(sql:)`, instead of a
/// GRDB `SQL` literal rendered anew on the writer's thread for each job (whose text also varied with the kind of
/// end, so each kind had a cached statement of its own).
extension SQLiteSQL {
    /// The bound values of `recordResult` and `recordLostRun`, by number.
    enum RunEndParameter: Int, CaseIterable {
        /// 1 when the result yields to a stored cancel request (`RunResult.yieldsToCancelRequest`), else 0.
        case yields = 1
        /// The state the result moves the job to.
        case state
        /// When the job is due again (milliseconds), or NULL to keep `run_at`.
        case runAt
        /// 1 for a snooze (the attempt given back, `snoozes` counted), else 0.
        case snoozed
        /// `exit_code`.
        case exitCode
        /// `last_error` when no cancel request wins.
        case lastError
        /// When the run ended (milliseconds): `finished_at` and `updated_at`.
        case finishedAt
        /// The claim's job id, attempt and worker: the guard.
        case jobID, attempt, worker
        /// `last_error` of a run whose cancel request won (`RunOutcome.cancelledError`).
        case cancelledError
        /// `recordLostRun` only: the lease instant (`WorkerLease.liveSince`, milliseconds) a live worker's heartbeat is at or after.
        case staleBefore

        /// `?N` of this parameter.
        var placeholder: String { "?\(rawValue)" }
    }

    /// Whether a cancel request for the run wins over the result (the core's other end, `yieldsToCancelRequest`):
    /// decided in the statement, so no cancel stored meanwhile can slip between read and write.
    private static let cancelWins =
        "(\(RunEndParameter.yields.placeholder) AND coalesce(cancel_requested_at >= started_at, 0))"

    /// Writes the end of a run, guarded by the claim (state, attempt and worker must still match). A snooze gives
    /// the attempt back (`attempts - 1`, as a release does) and counts in `snoozes` instead.
    private static let runEnd = """
        UPDATE queuectl_job SET
            state = CASE WHEN \(cancelWins) THEN \(JobState.cancelled.sqlLiteral) ELSE \(RunEndParameter.state.placeholder) END,
            run_at = CASE WHEN \(cancelWins) THEN run_at ELSE coalesce(\(RunEndParameter.runAt.placeholder), run_at) END,
            attempts = CASE WHEN \(cancelWins) THEN attempts ELSE attempts - \(RunEndParameter.snoozed.placeholder) END,
            snoozes = CASE WHEN \(cancelWins) THEN snoozes ELSE snoozes + \(RunEndParameter.snoozed.placeholder) END,
            exit_code = \(RunEndParameter.exitCode.placeholder),
            last_error = CASE WHEN \(cancelWins) THEN \(RunEndParameter.cancelledError.placeholder)
                ELSE \(RunEndParameter.lastError.placeholder) END,
            finished_at = \(RunEndParameter.finishedAt.placeholder), updated_at = \(RunEndParameter.finishedAt.placeholder),
            worker = NULL
        WHERE id = \(RunEndParameter.jobID.placeholder) AND state = \(JobState.processing.sqlLiteral)
          AND attempts = \(RunEndParameter.attempt.placeholder) AND worker = \(RunEndParameter.worker.placeholder)
        """

    /// `runEnd`, returning the state the job was left in, so the store adds the counters of the end it actually
    /// wrote (a cancel request may have won). Values: `runEndArguments`.
    static let recordResult = runEnd + "\nRETURNING state"

    /// Writes the end of a lost worker's run: guarded by the claim, as `recordResult`, and by the lease, in the
    /// same statement: the worker's row must be missing or its heartbeat older than `staleBefore`. Values:
    /// `runEndArguments` with `staleBefore`.
    static let recordLostRun = """
        \(runEnd)
          AND NOT EXISTS (SELECT 1 FROM queuectl_worker w WHERE w.id = \(RunEndParameter.worker.placeholder)
                          AND w.heartbeat_at >= \(RunEndParameter.staleBefore.placeholder))
        RETURNING state
        """

    /// The values of `recordResult` (and, with `staleBefore`, of `recordLostRun`), in parameter order.
    static func runEndArguments(_ result: RunResult, of claim: JobClaim, staleBefore: Int64? = nil) -> StatementArguments {
        let disposition = result.disposition
        var values: [DatabaseValue] = [
            (result.yieldsToCancelRequest ? 1 : 0).databaseValue,
            disposition.state.rawValue.databaseValue,
            disposition.dueAgainAt.map(Timestamp.milliseconds).databaseValue,
            (disposition.isSnooze ? 1 : 0).databaseValue,
            result.exitCode.databaseValue,
            result.lastError.databaseValue,
            Timestamp.milliseconds(result.finishedAt).databaseValue,
            claim.jobID.rawValue.databaseValue,
            claim.attempt.databaseValue,
            claim.worker.databaseValue,
            RunOutcome.cancelledError.databaseValue,
        ]
        if let staleBefore { values.append(staleBefore.databaseValue) }
        return StatementArguments(values)
    }

}
