import Foundation
import GRDB
import QueueCore

/// The claim's and `nextDueTime`'s way around held (paused or full) queues (migration 020), named as in
/// `PostgresSQL+HeldQueues.swift`: instead of stepping over a held queue's due rows in claim order, they visit the
/// queues that are not held, one index probe each.
extension SQLiteSQL {
    /// `present_queue (name)`, the queues to visit: `queues` when the worker names some, else every queue with a
    /// claimable job, found by a loose index scan of `queuectl_job_due` (the first queue name, then the next
    /// after it: one probe per queue, the last row NULL). With `onlyWhileHeld` it is empty unless some queue is
    /// held (`held_queue`), so a claim with nothing held does not pay for it. Needs `WITH RECURSIVE`.
    static func presentQueues(_ queues: [String], onlyWhileHeld: Bool) -> SQL {
        let guardCondition: SQL = onlyWhileHeld ? "WHERE EXISTS (SELECT 1 FROM held_queue)" : ""
        if !queues.isEmpty {
            let names = Set(queues).sorted().map { name -> SQL in "(\(name))" }
            return "present_queue (name) AS (SELECT column1 FROM (VALUES \(names.joined(separator: ", "))) \(guardCondition))"
        }
        let claimable: SQL = "state IN (\(sql: JobState.claimableLiteral)) AND \(sql: notWaiting)"
        return """
            present_queue (name) AS (
                SELECT (SELECT queue FROM queuectl_job INDEXED BY queuectl_job_due WHERE \(claimable) ORDER BY queue LIMIT 1)
                \(guardCondition)
                UNION ALL
                SELECT (SELECT queue FROM queuectl_job INDEXED BY queuectl_job_due WHERE \(claimable) AND queue > p.name
                        ORDER BY queue LIMIT 1)
                FROM present_queue p WHERE p.name IS NOT NULL
            )
            """
    }

    /// The first `count` due rows (`seq, priority, run_at, queue`) in claim order of `queues` (empty: any), read
    /// from `queuectl_job_claim` (no sort; INDEXED BY because without statistics the planner prefers
    /// `queuectl_job_state` and sorts every pending row). `count` is an expression: the claim reads nothing
    /// (`LIMIT 0`) when some queue is held.
    static func dueInClaimOrder(queues: [String], now: Int64, count: SQL) -> SQL {
        let queueCondition: SQL = queues.isEmpty ? "" : "AND queue IN \(queues)"
        return """
            SELECT seq, priority, run_at, queue FROM queuectl_job INDEXED BY queuectl_job_claim
            WHERE state IN (\(sql: JobState.claimableLiteral)) AND \(sql: notWaiting) AND run_at <= \(now) \(queueCondition)
            ORDER BY priority DESC, run_at, seq LIMIT \(count)
            """
    }

    /// Which queues `dueAroundHeldQueues` steps around.
    enum HeldQueueKind: Sendable {
        /// Paused or full: the queues of `held_queue` (`heldQueues`).
        case pausedOrFull
        /// Paused, when no queue has a limit: asked of each queue's row by its key, without `heldQueues`' CTEs,
        /// whose temporary tables cost a claim more than the lookups.
        case paused

        /// The condition on `present_queue c` that leaves the queue out.
        var condition: SQL {
            switch self {
            case .pausedOrFull: "c.name IN held_queue"
            case .paused: "EXISTS (SELECT 1 FROM queuectl_queue q WHERE q.name = c.name AND q.paused = 1)"
            }
        }
    }

    /// The first `count` due rows in claim order among the queues of `present_queue` that are not `held`: each
    /// queue's first `count` due rows (`queuectl_job_queue_claim`, read in order from the queue's first entry),
    /// then the best `count` of those. A held queue's rows are never read, however many are due.
    static func dueAroundHeldQueues(now: Int64, count: Int, held: HeldQueueKind) -> SQL {
        """
        SELECT j.seq, j.priority, j.run_at, j.queue FROM present_queue c JOIN queuectl_job j ON j.seq IN (
            SELECT h.seq FROM queuectl_job h INDEXED BY queuectl_job_queue_claim
            WHERE h.queue = c.name AND h.state IN (\(sql: JobState.claimableLiteral)) AND h.\(sql: notWaiting)
              AND h.run_at <= \(now)
            ORDER BY h.priority DESC, h.run_at, h.seq LIMIT \(count)
        )
        WHERE c.name IS NOT NULL AND NOT \(held.condition)
        ORDER BY j.priority DESC, j.run_at, j.seq LIMIT \(count)
        """
    }
}
