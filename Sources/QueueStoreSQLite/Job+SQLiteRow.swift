import Foundation
import GRDB
import QueueCore

/// A GRDB row read by `JobColumn` name.
struct SQLiteJobRow: JobRow {
    let row: Row

    func text(_ column: JobColumn) throws -> String { try row.decode(forColumn: column.rawValue) }
    func optionalText(_ column: JobColumn) throws -> String? { try row.decode(forColumn: column.rawValue) }
    func integer(_ column: JobColumn) throws -> Int64 { try row.decode(forColumn: column.rawValue) }
    func optionalInteger(_ column: JobColumn) throws -> Int64? { try row.decode(forColumn: column.rawValue) }
    func flag(_ column: JobColumn) throws -> Bool { try row.decode(forColumn: column.rawValue) }
    /// SQLite keeps the list as text (`SQLiteSQL.exitCodeList`).
    func exitCodes(_ column: JobColumn) throws -> [Int32] {
        SQLiteSQL.exitCodes(try row.decode(forColumn: column.rawValue))
    }
    /// SQLite keeps the list as a JSON array (`SQLiteSQL.jobIDList`).
    func jobIDs(_ column: JobColumn) throws -> [JobID] {
        SQLiteSQL.jobIDs(try row.decode(forColumn: column.rawValue))
    }
}

extension Job {
    /// Decodes a row holding the `JobColumn`s (by name: other columns, and the order, do not matter).
    init(sqliteRow row: Row) throws(QueueError) {
        try self.init(row: SQLiteJobRow(row: row))
    }
}
