import QueueCore

extension SQLiteMigrations {
    /// `020` (as on PostgreSQL): claims that step around held queues instead of over them.
    ///
    /// A claim reads `queuectl_job_claim` in claim order and, once some queue is paused or full, skipped each of
    /// that queue's due rows ahead of the first row it could take, reading the row to learn its queue: with
    /// 1,000 due jobs in each of 10 paused queues ahead of the others, pickup took 4.7 times as long
    /// (bench/backlog_pickup_bench.py, release build). Two indexes led by the queue, with the claim indexes'
    /// predicate, let a claim and `nextDueTime` visit only queues that are not held:
    ///
    /// - `queuectl_job_queue_claim` (`queue`, then claim order): the first due rows of one queue, read in order.
    /// - `queuectl_job_due` becomes (`queue`, `run_at`): the queues that have claimable jobs, found by one probe
    ///   each (a loose index scan: the next queue name after the last), and each queue's earliest `run_at`.
    ///
    /// `queuectl_job_claim` stays: while no queue is held, a claim is the one of before (the first rows of one
    /// index, however many queues there are). Rebuilding the due index and building the new one read the
    /// claimable rows once, inside the migration's transaction.
    static let heldQueueIndexes = """
        DROP INDEX queuectl_job_due;
        CREATE INDEX queuectl_job_due ON queuectl_job (queue, run_at)
            WHERE state IN ('pending', 'failed') AND \(SQLiteSQL.notWaiting);
        CREATE INDEX queuectl_job_queue_claim ON queuectl_job (queue, priority DESC, run_at, seq)
            WHERE state IN ('pending', 'failed') AND \(SQLiteSQL.notWaiting);
        """
}
