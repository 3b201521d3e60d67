extension SQLiteMigrations {
    /// `015` (as on PostgreSQL): queues as rows. One row per queue that has settings (`queue pause`, `queue
    /// limit`); a queue without a row has none. The claim reads the few rows inside its own write transaction
    /// (`SQLiteSQL.heldQueues`), which SQLite's single writer already serialises: no counter is kept, the
    /// processing jobs of a limited queue are counted where the claim happens. `job_limit` 0: no limit.
    static let queues = """
        CREATE TABLE queuectl_queue (
            name TEXT PRIMARY KEY NOT NULL,
            paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
            job_limit INTEGER NOT NULL DEFAULT 0 CHECK (job_limit >= 0),
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
}
