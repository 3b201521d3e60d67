extension SQLiteSQL {
    /// Opens a write transaction that takes the write lock at once (as GRDB's `write` does), so a writer waits
    /// for it under the busy timeout up front instead of failing when a read would upgrade to a write midway.
    static let beginImmediate = "BEGIN IMMEDIATE TRANSACTION"

    /// Ends a write transaction, keeping its changes.
    static let commit = "COMMIT TRANSACTION"
}
