import Foundation
import GRDB
import QueueCore

/// The end of a run as constant text: every value is a numbered parameter (`RunEndParameter`), so the one text
/// is prepared once per connection and found in its statement cache by `cachedStatement(sql:)`, instead of a
/// GRDB `SQL` literal rendered anew on the writer's thread for each job (whose text also varied with the kind of
/// end, so each kind had a cached statement of its own).
extension SQLiteSQL {
    /// The bound values of `recordResult`, `recordYieldingResult` and `recordLostRun`, by number (`RunEndValues`).
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
        /// A silent run's header and end line, packed (`PackedLogMarks.pack`), appended to the row's `log_marks`;
        /// NULL for none. With marks, the end applies only while the row holds fewer than `marksLimit` bytes of
        /// them: a full row's marks must first move to `queuectl_log_mark` (`SQLiteJobStore.recordResult`).
        case marks
        /// `PackedLogMarks.rowLimit`.
        case marksLimit

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
            worker = NULL,
            log_marks = CASE WHEN \(RunEndParameter.marks.placeholder) IS NULL THEN log_marks
                ELSE CAST(coalesce(log_marks, X'') || \(RunEndParameter.marks.placeholder) AS BLOB) END
        WHERE id = \(RunEndParameter.jobID.placeholder) AND state = \(JobState.processing.sqlLiteral)
          AND attempts = \(RunEndParameter.attempt.placeholder) AND worker = \(RunEndParameter.worker.placeholder)
          AND (\(RunEndParameter.marks.placeholder) IS NULL
               OR coalesce(length(log_marks), 0) < \(RunEndParameter.marksLimit.placeholder))
        """

    /// `runEnd` for a result that never yields to a cancel request (`RunResult.yieldsToCancelRequest` false: a
    /// success, a last failure, a cancelled run). Such an end writes the result's own state, so the store learns all
    /// it needs from whether a row changed (`sqlite3_changes`), and the statement returns nothing: a RETURNING clause
    /// makes SQLite buffer its rows in a temporary table and run them through an extra trigger program for each
    /// row. Values: `RunEndValues`.
    static let recordResult = runEnd

    /// `runEnd` for a result that yields to a cancel request, returning the state the job was left in, so the store
    /// adds the counters of the end it actually wrote (a cancel request may have won). Values: `RunEndValues`.
    static let recordYieldingResult = runEnd + "\nRETURNING state"

    /// Writes the end of a lost worker's run: guarded by the claim, as `recordResult`, and by the lease, in the
    /// same statement: the worker's row must be missing or its heartbeat older than `staleBefore`. Values:
    /// `RunEndValues` with `staleBefore`.
    static let recordLostRun = """
        \(runEnd)
          AND NOT EXISTS (SELECT 1 FROM queuectl_worker w WHERE w.id = \(RunEndParameter.worker.placeholder)
                          AND w.heartbeat_at >= \(RunEndParameter.staleBefore.placeholder))
        RETURNING state
        """

    /// The values of `recordResult`, `recordYieldingResult` and (with `staleBefore`) `recordLostRun`, computed
    /// before the transaction and bound one by one into the cached statement inside it (`SQLiteDirectStatement`).
    struct RunEndValues: Sendable {
        /// `RunEndParameter.yields`.
        let yields: Bool
        /// `RunEndParameter.state`.
        let state: String
        /// `RunEndParameter.runAt` (nil: NULL).
        let runAt: Int64?
        /// `RunEndParameter.snoozed`.
        let snoozed: Bool
        /// `RunEndParameter.exitCode` (nil: NULL).
        let exitCode: Int64?
        /// `RunEndParameter.lastError` (nil: NULL).
        let lastError: String?
        /// `RunEndParameter.finishedAt`.
        let finishedAt: Int64
        /// The claim's guard: `RunEndParameter.jobID`, `.attempt` and `.worker`.
        let jobID: String
        /// See `jobID`.
        let attempt: Int
        /// See `jobID`.
        let worker: String
        /// `RunEndParameter.staleBefore`, for `recordLostRun` only (nil for the others, whose text has no `?12`).
        let staleBefore: Int64?
        /// `RunEndParameter.marks` (nil: NULL).
        var marks: [UInt8]?

        /// The end `result` writes for `claim`; `staleBefore` for `recordLostRun` only.
        init(_ result: RunResult, of claim: JobClaim, staleBefore: Int64? = nil) {
            // A lost run's end (recovery) writes no log lines, as before the marks went into this statement.
            marks = staleBefore == nil ? result.silentRunLog.map(PackedLogMarks.pack) : nil
            let disposition = result.disposition
            yields = result.yieldsToCancelRequest
            state = disposition.state.rawValue
            runAt = disposition.dueAgainAt.map(Timestamp.milliseconds)
            snoozed = disposition.isSnooze
            exitCode = result.exitCode.map(Int64.init)
            lastError = result.lastError
            finishedAt = Timestamp.milliseconds(result.finishedAt)
            jobID = claim.jobID.rawValue
            attempt = claim.attempt
            worker = claim.worker
            self.staleBefore = staleBefore
        }

        /// Binds every parameter of the statement (`RunEndParameter`).
        func bind(to statement: SQLiteDirectStatement) {
            for parameter in RunEndParameter.allCases {
                let index = Int32(parameter.rawValue)
                switch parameter {
                case .yields: statement.bind(index, yields)
                case .state: statement.bind(index, state)
                case .runAt: statement.bind(index, runAt)
                case .snoozed: statement.bind(index, snoozed)
                case .exitCode: statement.bind(index, exitCode)
                case .lastError: statement.bind(index, lastError)
                case .finishedAt: statement.bind(index, finishedAt)
                case .jobID: statement.bind(index, jobID)
                case .attempt: statement.bind(index, attempt)
                case .worker: statement.bind(index, worker)
                case .cancelledError: statement.bind(index, RunOutcome.cancelledError)
                case .staleBefore: if let staleBefore { statement.bind(index, staleBefore) }
                case .marks:
                    if let marks { marks.withUnsafeBytes { statement.bind(index, blob: $0) } } else { statement.bindNull(index) }
                case .marksLimit: statement.bind(index, PackedLogMarks.rowLimit)
                }
            }
        }
    }
}
