import QueueCore

extension PostgresMigrations {
    /// `014` (as on SQLite): unique jobs. `unique_key` (NULL: none) and a partial unique index over the states
    /// that hold a key (`UniqueKey.holdingStates`): concurrent enqueuers of one key on any number of hosts
    /// queue on the index entry, and all but the first find it taken (`ON CONFLICT ... DO NOTHING`). A job
    /// that ends leaves the index and frees its key. A nullable column without default rewrites nothing.
    static let uniqueKeys = Migration(
        version: 14, name: "unique_keys",
        statements: [
            "ALTER TABLE queuectl_job ADD COLUMN unique_key TEXT",
            "CREATE UNIQUE INDEX queuectl_job_unique_key ON queuectl_job (unique_key) WHERE \(PostgresSQL.uniqueKeyHeld)",
        ])
}
