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
        // The append failed: the job is gone (no value to read) or its row is full (a value, never NULL).
        guard try !appendToRow(db, entry, of: id), let full = try packedRowMarks(db, of: id) else { return }
        for moved in try unpack(full, of: id) {
            try execute(db, SQLiteSQL.insertLogMark(moved, of: id))
        }
        try execute(db, SQLiteSQL.setPackedLogMarks(entry, of: id))
    }

    /// Appends the packed mark `entry` to job `id`'s row (`SQLiteSQL.appendPackedLogMark`); false when no row
    /// took it (the job is gone, or its row is full). Bound and stepped through SQLite's C API
    /// (`SQLiteDirectStatement`): GRDB's arguments and execution bookkeeping cost more than the UPDATE itself, on
    /// the single writer's thread, for every silent run.
    private static func appendToRow(_ db: Database, _ entry: [UInt8], of id: JobID) throws -> Bool {
        let statement = try SQLiteDirectStatement(db, sql: SQLiteSQL.appendPackedLogMark)
        statement.bind(1, id.rawValue)
        entry.withUnsafeBytes { statement.bind(2, blob: $0) }
        statement.bind(3, PackedLogMarks.rowLimit)
        try statement.execute(db)
        return db.changesCount > 0
    }

    /// The marks kept in job `id`'s row, in the order they were written (none for a job that does not exist).
    private static func rowLogMarks(_ db: Database, of id: JobID) throws -> [LogMark] {
        guard let packed = try packedRowMarks(db, of: id) else { return [] }
        return try unpack(packed, of: id)
    }

    /// Job `id`'s `log_marks` value; nil when the job does not exist or its row keeps no marks.
    private static func packedRowMarks(_ db: Database, of id: JobID) throws -> Data? {
        try Data.fetchOne(db, SQLRequest(literal: SQLiteSQL.packedLogMarks(of: id)))
    }

    private static func unpack(_ packed: Data, of id: JobID) throws -> [LogMark] {
        guard let marks = PackedLogMarks.unpack(Array(packed)) else {
            throw QueueError.operationFailed("the log lines kept for job '\(id)' in the queue database are damaged")
        }
        return marks
    }
}
