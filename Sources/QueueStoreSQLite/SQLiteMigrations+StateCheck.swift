import GRDB

extension SQLiteMigrations {
    /// `026` (SQLite only): the job table's state CHECK written without a list of six states, `state IN ('pending',
    /// 'processing') OR state IN ('completed', 'failed') OR state IN ('dead', 'cancelled')`, which holds for the same
    /// values.
    ///
    /// SQLite codes an `IN` list of more than two values as a temporary table (a b-tree with a pager of its own,
    /// opened, filled and closed), and a CHECK is evaluated for every UPDATE that sets a column it names, with no
    /// `OP_Once` around the list, as migration 023 found for a partial index: every claim and every run end built one.
    /// Written as an OR of lists of at most two, it is a few comparisons. Measured on one worker transaction (the end
    /// of a `true` run, its tally and the next claim, `bench/worker_transaction_bench.py`): 407,790 user-space
    /// instructions before, 340,875 after (-16%); an enqueue's insert checks the same constraint.
    ///
    /// Changing a CHECK that leaves the stored rows valid needs no rebuild: SQLite's documentation ("Making Other
    /// Kinds Of Table Schema Changes") allows editing the table's text in `sqlite_schema` under `writable_schema`
    /// and raising the schema version, so every connection, in this process and others, parses the table again.
    /// That is O(1) however many jobs there are, where migration 010's rebuild copies every row. The edit is the
    /// text of migration 010's CHECK replaced word for word; a table whose text lacks it (none queuectl made) is
    /// left as it is, and still correct.
    static func stateCheckWithoutList(_ db: Database) throws {
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        let edited = Result {
            try db.execute(
                sql: replaceTableText, arguments: ["queuectl_job", stateCheckWithList, stateCheckWithoutList])
            try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        }
        try db.execute(sql: "PRAGMA writable_schema = OFF")
        try edited.get()
    }

    /// Replaces `?2` by `?3` in the text of table `?1`.
    private static let replaceTableText =
        "UPDATE sqlite_schema SET sql = replace(sql, ?2, ?3) WHERE type = 'table' AND name = ?1"

    /// The state CHECK as migration 010 wrote it.
    static let stateCheckWithList =
        "CHECK (state IN ('pending', 'processing', 'completed', 'failed', 'dead', 'cancelled'))"

    /// The same CHECK without a list of more than two values (`stateCheckWithoutList`).
    static let stateCheckWithoutList =
        "CHECK (state IN ('pending', 'processing') OR state IN ('completed', 'failed') OR state IN ('dead', 'cancelled'))"
}
