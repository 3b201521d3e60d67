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

/// The current row of a statement stepped through the C API (`SQLiteDirectStatement`), read by `JobColumn` name as
/// `SQLiteJobRow` reads a GRDB row, with the same conversions (SQLite's own: a number read as text is its text).
struct SQLiteStatementJobRow: JobRow {
    let statement: SQLiteDirectStatement
    let columns: SQLiteJobColumns

    private func index(_ column: JobColumn) throws -> Int32 { Int32(try columns.index(of: column)) }

    /// Throws for NULL in a column a job never leaves NULL (a database written by something else).
    private func nonNull<T>(_ value: T?, _ column: JobColumn) throws -> T {
        guard let value else { throw QueueError.operationFailed("queue database holds a job row with NULL in '\(column.rawValue)'") }
        return value
    }

    func text(_ column: JobColumn) throws -> String { try nonNull(optionalText(column), column) }
    func optionalText(_ column: JobColumn) throws -> String? { statement.text(try index(column)) }
    func integer(_ column: JobColumn) throws -> Int64 { try nonNull(optionalInteger(column), column) }
    func optionalInteger(_ column: JobColumn) throws -> Int64? {
        let index = try index(column)
        return statement.isNull(index) ? nil : statement.integer(index)
    }
    func flag(_ column: JobColumn) throws -> Bool { try integer(column) != 0 }
    /// SQLite keeps the list as text (`SQLiteSQL.exitCodeList`).
    func exitCodes(_ column: JobColumn) throws -> [Int32] { SQLiteSQL.exitCodes(try text(column)) }
    /// SQLite keeps the list as a JSON array (`SQLiteSQL.jobIDList`).
    func jobIDs(_ column: JobColumn) throws -> [JobID] { SQLiteSQL.jobIDs(try text(column)) }
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

    /// Runs `statement` (bound, not yet run) and decodes its rows as they are stepped, each read in place from
    /// SQLite's row: no GRDB `Row` or cursor is made. `columns` are the statement's (`SQLiteClaimStatement.columns`).
    static func decodeAll(_ statement: SQLiteDirectStatement, _ db: Database, columns: SQLiteJobColumns) throws -> [Job] {
        var jobs: [Job] = []
        do {
            while try statement.step(db) {
                jobs.append(try Job(row: SQLiteStatementJobRow(statement: statement, columns: columns)))
            }
        } catch {
            statement.reset()
            throw error
        }
        return jobs
    }
}
