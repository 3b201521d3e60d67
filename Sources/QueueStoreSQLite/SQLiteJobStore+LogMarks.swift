import CQueueSQLite
import Foundation
import GRDB
import QueueCore

/// The header and end line of runs that wrote no output (`LogMark`), kept in the job's own row
/// (`PackedLogMarks`; older or overflowing ones in `queuectl_log_mark`) so such runs create no log file.
extension SQLiteJobStore: JobLogMarkStore {
    public func logMarks(of id: JobID) async throws -> [LogMark] {
        try await read { db in
            let moved = try Self.rows(db, SQLiteSQL.logMarks(of: id)).map { row in
                let bytes: Data = row["bytes"]
                return LogMark(fileOffset: row["file_offset"], bytes: Array(bytes))
            }
            return try moved + Self.rowLogMarks(db, of: id)
        }
    }

    public func appendLogMark(_ mark: LogMark, to id: JobID) async throws {
        try await write { db in try Self.insertLogMark(db, mark, of: id) }
    }

    /// Writes `mark` (nil: nothing) inside the caller's transaction: appended to the job's row, which the run's
    /// end rewrites in the same transaction; once the row holds `PackedLogMarks.rowLimit` bytes of marks, those
    /// move to `queuectl_log_mark` first (after any already there, so the order stays the order of writing).
    static func insertLogMark(_ db: Database, _ mark: LogMark?, of id: JobID) throws {
        guard let mark else { return }
        let entry = PackedLogMarks.pack(mark)
        guard try !appendToRow(db, entry, of: id),
            try Row.fetchOne(db, SQLRequest(literal: SQLiteSQL.packedLogMarks(of: id))) != nil
        else { return }
        for moved in try rowLogMarks(db, of: id) {
            try execute(db, SQLiteSQL.insertLogMark(moved, of: id))
        }
        try execute(db, SQLiteSQL.setPackedLogMarks(entry, of: id))
    }

    /// Appends the packed mark `entry` to job `id`'s row (`SQLiteSQL.appendPackedLogMark`); false when no row
    /// took it (the job is gone, or its row is full). Bound and stepped through SQLite's C API: GRDB's arguments
    /// (a `StatementArguments` built from a sequence of values) and its execution bookkeeping cost more than
    /// the UPDATE itself, on the single writer's thread, for every silent run. The statement is a plain UPDATE
    /// inside the caller's transaction, and this store registers no transaction observers, so GRDB has nothing
    /// to track of it.
    private static func appendToRow(_ db: Database, _ entry: [UInt8], of id: JobID) throws -> Bool {
        let statement = try db.cachedStatement(sql: SQLiteSQL.appendPackedLogMark).sqliteStatement
        // SQLITE_TRANSIENT: SQLite copies the values, which live only as long as this call.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        sqlite3_reset(statement)
        var code = sqlite3_bind_text(statement, 1, id.rawValue, -1, transient)
        if code == SQLITE_OK {
            code = entry.withUnsafeBytes { sqlite3_bind_blob(statement, 2, $0.baseAddress, Int32($0.count), transient) }
        }
        if code == SQLITE_OK { code = sqlite3_bind_int64(statement, 3, Int64(PackedLogMarks.rowLimit)) }
        if code == SQLITE_OK { code = sqlite3_step(statement) }
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: SQLiteSQL.appendPackedLogMark)
        }
        return sqlite3_changes(db.sqliteConnection) > 0
    }

    /// The marks kept in job `id`'s row, in the order they were written (none for a job that does not exist).
    private static func rowLogMarks(_ db: Database, of id: JobID) throws -> [LogMark] {
        guard let packed = try Data.fetchOne(db, SQLRequest(literal: SQLiteSQL.packedLogMarks(of: id))) else { return [] }
        guard let marks = PackedLogMarks.unpack(Array(packed)) else {
            throw QueueError.operationFailed("the log lines kept for job '\(id)' in the queue database are damaged")
        }
        return marks
    }
}
