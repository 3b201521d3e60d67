import PostgresNIO
import QueueCore

extension PostgresSQL {
    /// The condition that keeps a job waiting for its dependencies out of the claim (migration 19): it has no
    /// unfinished dependency. Part of the claim indexes' predicate, so `queuectl_due_jobs` and `nextDueTime`
    /// repeat it (the planner uses a partial index only for a query whose WHERE implies its predicate).
    static let notWaiting = "waiting_on = 0"
}
