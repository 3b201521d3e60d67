import QueueCore

extension SQLiteMigrations {
    /// `014` (as on PostgreSQL): unique jobs. `unique_key` (NULL: none) and a partial unique index over the
    /// states that hold a key (`UniqueKey.holdingStates`), so the database itself refuses a second waiting or
    /// running job with a key; a job that ends leaves the index and frees its key. Adding a nullable column
    /// rewrites nothing; the index starts empty.
    static let uniqueKeys = """
        ALTER TABLE queuectl_job ADD COLUMN unique_key TEXT;
        CREATE UNIQUE INDEX queuectl_job_unique_key ON queuectl_job (unique_key)
            WHERE \(SQLiteSQL.uniqueKeyHeld);
        """
}
