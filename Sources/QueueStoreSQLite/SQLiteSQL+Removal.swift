import GRDB
import QueueCore

/// The statements of `remove`, `restart`, `promote`, `purge` and retention (`SQLiteJobStore+Removal.swift`).
/// Names match `PostgresSQL+Removal.swift`.
extension SQLiteSQL {
    /// The condition of `queuectl_job_finished` (migration 023), word for word: a statement must contain it
    /// for SQLite to use that partial index (`INDEXED BY` makes a mismatch an error rather than a slow scan).
    /// In parentheses, since statements AND it with other terms.
    static let finishedIndexCondition: SQL = "(state IN ('completed', 'dead') OR state = 'cancelled')"

    /// Every column of the jobs `ids`.
    static func jobs(_ ids: [String]) -> SQL {
        "SELECT \(sql: jobColumns) FROM queuectl_job WHERE id IN \(ids)"
    }

    /// Deletes the jobs `ids` that are in one of `states`, returning them as they were.
    static func removeJobs(_ ids: [String], states: [String]) -> SQL {
        "DELETE FROM queuectl_job WHERE id IN \(ids) AND state IN \(states) RETURNING \(sql: jobColumns)"
    }

    /// Moves the jobs `ids` that are in one of `states` to pending from scratch (attempts and snoozes 0), due at
    /// `now`; `exit_code`, `last_error`, `started_at` and `finished_at` stay as the last run's history.
    static func restartJobs(_ ids: [String], states: [String], now: Int64) -> SQL {
        """
        UPDATE queuectl_job SET state = 'pending', attempts = 0, snoozes = 0, run_at = \(now), updated_at = \(now),
            worker = NULL
        WHERE id IN \(ids) AND state IN \(states)
        RETURNING \(sql: jobColumns)
        """
    }

    /// Makes the jobs `ids` that are in one of `states` due at `now`; one due earlier keeps its `run_at` (its
    /// place among the due jobs).
    static func promoteJobs(_ ids: [String], states: [String], now: Int64) -> SQL {
        """
        UPDATE queuectl_job SET run_at = min(run_at, \(now)), updated_at = \(now)
        WHERE id IN \(ids) AND state IN \(states)
        RETURNING \(sql: jobColumns)
        """
    }

    /// The jobs in `state` (a finished one) of `queues` (empty: any) last changed before `before`: the condition
    /// `purgeJobs` and `purgeableJobIDs` share, served by `queuectl_job_finished`.
    private static func finished(_ state: JobState, queues: [String], before: Int64) -> SQL {
        let queueCondition: SQL = queues.isEmpty ? "" : "AND queue IN \(queues)"
        return """
            FROM queuectl_job INDEXED BY queuectl_job_finished
            WHERE \(finishedIndexCondition) AND state = \(state.rawValue) AND updated_at < \(before) \(queueCondition)
            """
    }

    /// Deletes at most `limit` jobs in `state` of `queues` last changed before `before`, returning their ids.
    static func purgeJobs(_ state: JobState, queues: [String], before: Int64, limit: Int) -> SQL {
        """
        DELETE FROM queuectl_job
        WHERE seq IN (SELECT seq \(finished(state, queues: queues, before: before)) LIMIT \(limit))
        RETURNING id
        """
    }

    /// The ids of the jobs `purgeJobs` would delete (no limit), in enqueue order.
    static func purgeableJobIDs(_ state: JobState, queues: [String], before: Int64) -> SQL {
        "SELECT id \(finished(state, queues: queues, before: before)) ORDER BY seq"
    }

    /// Records `now` as the start of `task`'s turn if its last turn began at least `interval` ms before (or
    /// after `now`: a clock that jumped back must not stall the task); returns a row only then.
    static func takeTurn(of task: String, now: Int64, interval: Int64) -> SQL {
        """
        INSERT INTO queuectl_maintenance (task, ran_at) VALUES (\(task), \(now))
        ON CONFLICT (task) DO UPDATE SET ran_at = excluded.ran_at
        WHERE queuectl_maintenance.ran_at <= excluded.ran_at - \(interval)
           OR queuectl_maintenance.ran_at > excluded.ran_at
        RETURNING task
        """
    }
}
