extension SQLiteMigrations {
    /// `023` (SQLite only): `queuectl_job_finished` (migration 011) with its condition written without a list of
    /// three states, `state IN ('completed', 'dead') OR state = 'cancelled'`, which holds for the same rows.
    ///
    /// SQLite evaluates a partial index's condition for the old and the new row of every UPDATE that changes
    /// `state` or `updated_at`, and codes an `IN` list of more than two values as a temporary table that it builds
    /// anew at each evaluation (no `OP_Once` inside index maintenance): two temporary tables (each a b-tree opened,
    /// filled with the three states and closed) for every claim and every run end, for an index that neither
    /// statement's job is in. Written as an OR of at most two values, the condition is a few comparisons. Measured on
    /// the run end and the next claim (one worker transaction, C API, 8,000 `true` jobs): 14 and 19 µs against 22
    /// and 30 µs (bench/RESULTS.md, issue 16, "statements").
    ///
    /// The statements that use the index repeat the new condition word for word (`SQLiteSQL.finishedIndexCondition`),
    /// as SQLite requires of a partial index. Rebuilding it reads the finished jobs once, inside the migration's
    /// transaction. PostgreSQL keeps its index: it tests a list against a row without building anything.
    static let finishedIndexWithoutList = """
        DROP INDEX queuectl_job_finished;
        CREATE INDEX queuectl_job_finished ON queuectl_job (state, updated_at)
            WHERE state IN ('completed', 'dead') OR state = 'cancelled';
        """
}
