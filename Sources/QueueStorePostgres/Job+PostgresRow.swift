import Foundation
import PostgresNIO
import QueueCore

/// A postgres-nio row read by `JobColumn` name.
struct PostgresJobRowReader: JobRow {
    let cells: PostgresRandomAccessRow

    private func value<Value: PostgresDecodable>(_ column: JobColumn) throws -> Value {
        try cells.named(column.rawValue).decode(Value.self)
    }

    func text(_ column: JobColumn) throws -> String { try value(column) }
    func optionalText(_ column: JobColumn) throws -> String? { try value(column) }
    func integer(_ column: JobColumn) throws -> Int64 { try value(column) }
    func optionalInteger(_ column: JobColumn) throws -> Int64? { try value(column) }
    func flag(_ column: JobColumn) throws -> Bool { try value(column) }
    /// PostgreSQL keeps the list as an `integer[]`.
    func exitCodes(_ column: JobColumn) throws -> [Int32] { try value(column) }
    /// PostgreSQL keeps the list as a `text[]`.
    func jobIDs(_ column: JobColumn) throws -> [JobID] {
        let ids: [String] = try value(column)
        return ids.map(JobID.init(trusted:))
    }
}

extension Job {
    /// Decodes a row holding the `JobColumn`s (by name: other columns, and the order, do not matter).
    init(postgresRow row: PostgresRow) throws(QueueError) {
        try self.init(row: PostgresJobRowReader(cells: row.makeRandomAccess()))
    }
}

extension PostgresRandomAccessRow {
    /// The cell of the column `name`; throws where postgres-nio's `self[name]` would trap (no such column).
    func named(_ name: String) throws(QueueError) -> PostgresCell {
        guard contains(name) else { throw .operationFailed("PostgreSQL answered without a column '\(name)'") }
        return self[name]
    }
}
