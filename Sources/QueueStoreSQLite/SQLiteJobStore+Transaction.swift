import GRDB

extension SQLiteJobStore {
    /// Runs `body` in an IMMEDIATE transaction, as GRDB's `write` does, but with BEGIN and COMMIT prepared once
    /// per connection (GRDB's `write` parses both anew for every transaction, which a worker pays per job).
    /// An error in `body` or in the commit rolls the transaction back and is rethrown. A transaction
    /// SQLite rolled back on its own (after SQLITE_FULL, SQLITE_IOERR…) is not committed as if nothing had
    /// happened: the commit throws SQLITE_ABORT, as GRDB's does.
    static func inWriteTransaction<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        try db.cachedStatement(sql: SQLiteSQL.beginImmediate).execute()
        do {
            let result = try body(db)
            guard db.isInsideTransaction else {
                throw DatabaseError(resultCode: .SQLITE_ABORT, message: "Transaction was aborted")
            }
            try db.cachedStatement(sql: SQLiteSQL.commit).execute()
            return result
        } catch {
            try? db.rollback()
            throw error
        }
    }
}
