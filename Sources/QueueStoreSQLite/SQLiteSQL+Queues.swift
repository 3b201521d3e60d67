import Foundation
import GRDB
import QueueCore

/// The queue statements (migration 015), named as in `PostgresSQL+Queues.swift`.
extension SQLiteSQL {
    /// Two CTEs the claim and `nextDueTime` start with: `queue_room`, each limited queue that is not paused with
    /// the number of jobs it may still start (its limit minus its processing jobs, counted through
    /// `queuectl_job_state`: a lost worker's jobs count until they are recovered), and `held_queue`, the queues a
    /// claim skips (paused, or with no room). Inside the claim's IMMEDIATE transaction no other writer runs, so
    /// the count cannot change before the claim's UPDATE. With no queue rows both are empty.
    static let heldQueues: SQL = """
        queue_room AS (
            SELECT q.name, q.job_limit - (
                SELECT COUNT(*) FROM queuectl_job p WHERE p.state = \(sql: JobState.processing.sqlLiteral) AND p.queue = q.name
            ) AS free
            FROM queuectl_queue q WHERE q.job_limit > 0 AND q.paused = 0
        ),
        held_queue AS (
            SELECT name FROM queuectl_queue WHERE paused = 1
            UNION ALL SELECT name FROM queue_room WHERE free <= 0
        )
        """

    /// The claim's `due` from `due_any` (the first due rows of queues that are not held, with their queue): a
    /// row of a limited queue stays only while it is within the queue's room, counting the earlier rows of
    /// the same queue in the batch, so one claim of many slots cannot overfill a queue. The slots it leaves
    /// empty are filled by the worker's next claim, which sees the queue as held.
    static let dueWithinRoom: SQL = """
        due AS (
            SELECT d.seq, d.priority, d.run_at FROM due_any d
            WHERE d.queue NOT IN (SELECT name FROM queue_room)
               OR (SELECT COUNT(*) FROM due_any e
                   WHERE e.queue = d.queue AND (e.priority > d.priority OR (e.priority = d.priority
                       AND (e.run_at < d.run_at OR (e.run_at = d.run_at AND e.seq <= d.seq)))))
                  <= (SELECT r.free FROM queue_room r WHERE r.name = d.queue)
        )
        """

    /// Which queue settings are stored: NULL without any queue row, else whether some queue has a limit. Plain
    /// text: every claim runs it (`SQLiteDirectStatement`).
    static let queueSettingsPresence = "SELECT max(job_limit > 0) FROM queuectl_queue"

    /// Which queue settings a claim must read: none is stored (`none`: the claim is the one of before queues
    /// had settings, measured as fast), only pauses (`pausesOnly`: no queue has a limit, so a held queue is a
    /// paused one and no room is counted), or limits too (`some`).
    enum QueueSettingsPresence: Sendable {
        case none, pausesOnly, some
    }

    /// The pieces of `claimJobs` that honour queue settings: the CTEs it starts with (`heldQueues`,
    /// `presentQueues`), the body of `due_any` (the first `count` due rows of `queues` in claim order: with
    /// settings, of the queues that are not held, `dueAroundHeldQueues` once one is), and the `due` CTE
    /// (`dueWithinRoom`); with pauses only, the walk around the paused queues and every row of `due_any`; with no
    /// settings stored, no CTE, the first rows of the claim index and every row of `due_any`.
    struct ClaimQueueParts {
        /// The CTEs before `due_any`, each followed by a comma; empty without settings.
        let ctes: SQL
        /// The query of `due_any`.
        let dueAny: SQL
        /// The `due` CTE, from `due_any`.
        let due: SQL

        init(_ presence: QueueSettingsPresence, queues: [String], now: Int64, count: Int) {
            switch presence {
            case .none:
                ctes = ""
                dueAny = dueInClaimOrder(queues: queues, now: now, count: "\(count)")
                due = "due AS (SELECT seq, priority, run_at FROM due_any)"
            case .pausesOnly:
                // Some queue is paused (a queue row without a limit has a pause: `deleteDefaultQueueRows`), so the
                // walk needs no guard, and with no limit no row is over a room.
                ctes = "\(presentQueues(queues, onlyWhileHeld: false)),"
                dueAny = dueAroundHeldQueues(now: now, count: count, held: .paused)
                due = "due AS (SELECT seq, priority, run_at FROM due_any)"
            case .some:
                ctes = "\(heldQueues), \(presentQueues(queues, onlyWhileHeld: true)),"
                // One arm reads nothing: its LIMIT (evaluated once) is 0 while some queue is held, and
                // `present_queue` is empty while none is. Each arm is a subquery for its own ORDER BY and LIMIT.
                let held: SQL = "CASE WHEN EXISTS (SELECT 1 FROM held_queue) THEN 0 ELSE \(count) END"
                dueAny = """
                    SELECT * FROM (\(dueInClaimOrder(queues: queues, now: now, count: held)))
                    UNION ALL
                    SELECT * FROM (\(dueAroundHeldQueues(now: now, count: count, held: .pausedOrFull)))
                    """
                due = dueWithinRoom
            }
        }
    }

    /// Every queue's jobs per state (a scan of the job table: `queue list` and the dashboard only).
    static func queueStateCounts() -> SQL {
        "SELECT queue, state, COUNT(*) AS count FROM queuectl_job GROUP BY queue, state"
    }

    /// Every queue row (queues with settings).
    static func queueSettings() -> SQL {
        "SELECT name, paused, job_limit FROM queuectl_queue"
    }

    /// The names of every queue that exists: with jobs or with a row.
    static func existingQueueNames() -> SQL {
        "SELECT DISTINCT queue FROM queuectl_job UNION SELECT name FROM queuectl_queue"
    }

    /// Sets `paused` on the queue `name`, creating its row if needed.
    static func setQueuePaused(_ name: String, paused: Bool, now: Int64) -> SQL {
        """
        INSERT INTO queuectl_queue (name, paused, updated_at) VALUES (\(name), \(paused ? 1 : 0), \(now))
        ON CONFLICT (name) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at
        """
    }

    /// Sets the limit of the queue `name`, creating its row if needed.
    static func setQueueLimit(_ name: String, limit: Int, now: Int64) -> SQL {
        """
        INSERT INTO queuectl_queue (name, job_limit, updated_at) VALUES (\(name), \(limit), \(now))
        ON CONFLICT (name) DO UPDATE SET job_limit = excluded.job_limit, updated_at = excluded.updated_at
        """
    }

    /// Drops the rows whose settings are back to the defaults: such a queue has no settings any more, and
    /// is listed only while it has jobs.
    static func deleteDefaultQueueRows() -> SQL {
        "DELETE FROM queuectl_queue WHERE paused = 0 AND job_limit = 0"
    }
}
