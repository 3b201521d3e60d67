import Foundation
import GRDB
import QueueCore

/// A GRDB row read by `JobColumn` name, through `SQLiteJobColumns`.
struct SQLiteJobRow: JobRow {
    let row: Row
    let columns: SQLiteJobColumns

    func text(_ column: JobColumn) throws -> String { try row.decode(atIndex: columns.index(of: column)) }
    func optionalText(_ column: JobColumn) throws -> String? { try row.decode(atIndex: columns.index(of: column)) }
    func integer(_ column: JobColumn) throws -> Int64 { try row.decode(atIndex: columns.index(of: column)) }
    func optionalInteger(_ column: JobColumn) throws -> Int64? { try row.decode(atIndex: columns.index(of: column)) }
    func flag(_ column: JobColumn) throws -> Bool { try row.decode(atIndex: columns.index(of: column)) }
    /// SQLite keeps the list as text (`SQLiteSQL.exitCodeList`).
    func exitCodes(_ column: JobColumn) throws -> [Int32] {
        SQLiteSQL.exitCodes(try row.decode(atIndex: columns.index(of: column)))
    }
    /// SQLite keeps the list as a JSON array (`SQLiteSQL.jobIDList`).
    func jobIDs(_ column: JobColumn) throws -> [JobID] {
        SQLiteSQL.jobIDs(try row.decode(atIndex: columns.index(of: column)))
    }
}

/// Where each job column is in the rows of one statement. Found once per fetch: GRDB's by-name lookup searches
/// the row's names case-insensitively for every field of every row, which made decoding a job 2.5 times as
/// costly as reading by position (a profile of the store benchmark, issue 14's drain A/B).
struct SQLiteJobColumns: Sendable {
    private let indexByName: [String: Int]

    /// The columns of rows shaped like `row` (the first of a statement's rows: they all have its names).
    init(_ row: Row) {
        self.init(Array(row.columnNames))
    }

    /// The columns of rows with these names, in order (a statement's `columnNames`).
    init(_ names: [String]) {
        var indexByName: [String: Int] = [:]
        for (index, name) in names.enumerated() where indexByName[name] == nil {
            indexByName[name] = index
        }
        self.indexByName = indexByName
    }

    /// The position of `column`; throws for a row that lacks it (a query that does not select `jobColumns`).
    func index(of column: JobColumn) throws -> Int {
        guard let index = indexByName[column.rawValue] else {
            throw QueueError.operationFailed("a job query did not select the column '\(column.rawValue)'")
        }
        return index
    }
}

extension Job {
    /// Decodes each row of a statement holding the `JobColumn`s (by name: other columns, and the order, do
    /// not matter).
    static func decodeAll(sqliteRows rows: [Row]) throws(QueueError) -> [Job] {
        guard let first = rows.first else { return [] }
        let columns = SQLiteJobColumns(first)
        var jobs: [Job] = []
        jobs.reserveCapacity(rows.count)
        for row in rows {
            jobs.append(try Job(row: SQLiteJobRow(row: row, columns: columns)))
        }
        return jobs
    }

    /// Decodes the rows of `statement` (bound, not yet run) as they are stepped, each read in place: no copy of
    /// a row is made. `columns` are the statement's (`SQLiteClaimStatement.columns`).
    static func decodeAll(_ statement: Statement, columns: SQLiteJobColumns) throws -> [Job] {
        let cursor = try Row.fetchCursor(statement)
        var jobs: [Job] = []
        while let row = try cursor.next() {
            jobs.append(try Job(row: SQLiteJobRow(row: row, columns: columns)))
        }
        return jobs
    }
}
