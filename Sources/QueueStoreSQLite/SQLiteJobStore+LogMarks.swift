import Foundation
import GRDB
import QueueCore

/// The header and end line of runs that wrote no output (`LogMark`), kept in `queuectl_log_mark` so such runs
/// create no log file.
extension SQLiteJobStore: JobLogMarkStore {
    public func logMarks(of id: JobID) async throws -> [LogMark] {
        try await read { db in
            try Self.rows(db, SQLiteSQL.logMarks(of: id)).map { row in
                let bytes: Data = row["bytes"]
                return LogMark(fileOffset: row["file_offset"], bytes: Array(bytes))
            }
        }
    }

    public func appendLogMark(_ mark: LogMark, to id: JobID) async throws {
        try await write { db in try Self.insertLogMark(db, mark, of: id) }
    }

    /// Writes `mark` (nil: nothing) inside the caller's transaction.
    static func insertLogMark(_ db: Database, _ mark: LogMark?, of id: JobID) throws {
        guard let mark else { return }
        try execute(db, SQLiteSQL.insertLogMark(mark, of: id))
    }
}
