extension PostgresMigrations {
    /// `020` (as on SQLite): claims that step around held queues instead of over them.
    ///
    /// Once some queue was paused or full, `queuectl_due_jobs` (015/018/019) read the claim index in claim order
    /// and stepped over each due row of the held queues ahead of the first row it could take, reading the row to
    /// learn its queue: with 1,000 due jobs in each of 10 paused queues ahead of the others, pickup took 6.7 times
    /// as long (bench/backlog_pickup_bench.py, release build). Now:
    ///
    /// - `queuectl_job_queue_claim` (`queue`, then claim order) gives one queue's first due rows in order, and
    ///   `queuectl_job_due` becomes (`queue`, `run_at`): the queues with claimable jobs, one probe each (a loose
    ///   index scan: the next queue name after the last), and each queue's earliest `run_at` (`nextDueTime`).
    /// - `queuectl_due_heads(now, queues, held, taken, n)` returns the first `n` due rows (`seq, queue`) in claim
    ///   order, locked (`FOR UPDATE SKIP LOCKED`), of `queues` (empty: any) leaving out `held` and `taken`. With
    ///   nothing held it is 019's query. Otherwise it takes each queue's first `n` due rows that are not held
    ///   (`LATERAL`, locking them; the ones not returned stay locked only until the claim's statement commits)
    ///   and returns the best `n` of those, so a held queue's rows are never read.
    /// - `queuectl_due_jobs` is 019's with its loop (the path that honours settings: limits are still locked
    ///   and counted first, a queue that fills during a claim still joins the held ones) reading
    ///   `queuectl_due_heads` instead of the claim index. Its first query, for claims with no paused or limited
    ///   queue, is unchanged: they read the first rows of `queuectl_job_claim`, however many queues there are.
    ///
    /// Building the indexes reads the claimable rows once (writers wait meanwhile).
    static let heldQueueIndexes = Migration(
        version: 20, name: "held_queue_indexes",
        statements: [
            "DROP INDEX queuectl_job_due",
            """
            CREATE INDEX queuectl_job_due ON queuectl_job (queue, run_at)
                WHERE state IN ('pending', 'failed') AND \(PostgresSQL.notWaiting)
            """,
            """
            CREATE INDEX queuectl_job_queue_claim ON queuectl_job (queue, priority DESC, run_at, seq)
                WHERE state IN ('pending', 'failed') AND \(PostgresSQL.notWaiting)
            """,
            dueHeadsFunction,
            dueJobsHonouringQueues(extraCondition: " AND j.\(PostgresSQL.notWaiting)", selection: dueHeadsSelection),
        ])

    /// The loop query of 020's `queuectl_due_jobs` (one line: the undo of 020 in the tests finds it by its text).
    static let dueHeadsSelection =
        "SELECT h.due_seq AS seq, h.due_queue AS queue FROM queuectl_due_heads($1, $2, held, taken, $3 - cardinality(taken)) h"

    /// `queuectl_due_heads` (see `heldQueueIndexes`), with `queuectl_due_jobs`' planner settings (003/018): the ordered
    /// index scans are the only plans left whatever the statistics say.
    private static let dueHeadsFunction = """
        CREATE FUNCTION queuectl_due_heads(bigint, text[], text[], bigint[], bigint)
            RETURNS TABLE (due_seq bigint, due_queue text)
        LANGUAGE plpgsql VOLATILE ROWS 1
        SET enable_sort = off SET enable_bitmapscan = off SET enable_seqscan = off
        SET plan_cache_mode = force_generic_plan SET jit = off
        AS $$
        BEGIN
            IF cardinality($3) = 0 THEN
                RETURN QUERY
                SELECT j.seq, j.queue FROM queuectl_job j
                WHERE j.state IN ('pending', 'failed') AND j.\(PostgresSQL.notWaiting) AND j.run_at <= $1
                  AND (cardinality($2) = 0 OR j.queue = ANY($2)) AND NOT (j.seq = ANY($4))
                ORDER BY j.priority DESC, j.run_at, j.seq
                LIMIT $5
                FOR UPDATE SKIP LOCKED;
                RETURN;
            END IF;
            RETURN QUERY
            WITH RECURSIVE present (name) AS (
                (SELECT j.queue FROM queuectl_job j
                 WHERE cardinality($2) = 0 AND j.state IN ('pending', 'failed') AND j.\(PostgresSQL.notWaiting)
                 ORDER BY j.queue LIMIT 1)
                UNION ALL
                SELECT (SELECT j.queue FROM queuectl_job j
                        WHERE j.state IN ('pending', 'failed') AND j.\(PostgresSQL.notWaiting) AND j.queue > p.name
                        ORDER BY j.queue LIMIT 1)
                FROM present p WHERE p.name IS NOT NULL
            )
            SELECT h.seq, h.queue FROM (SELECT name FROM present UNION SELECT unnest($2)) c
            CROSS JOIN LATERAL (
                SELECT j.seq, j.queue, j.priority, j.run_at FROM queuectl_job j
                WHERE j.queue = c.name AND j.state IN ('pending', 'failed') AND j.\(PostgresSQL.notWaiting)
                  AND j.run_at <= $1 AND NOT (j.seq = ANY($4))
                ORDER BY j.priority DESC, j.run_at, j.seq
                LIMIT $5
                FOR UPDATE SKIP LOCKED
            ) h
            WHERE c.name IS NOT NULL AND NOT (c.name = ANY($3))
            ORDER BY h.priority DESC, h.run_at, h.seq
            LIMIT $5;
        END
        $$
        """
}
