import CQueueSQLite
import Foundation
import GRDB

/// A statement of the connection's cache driven through SQLite's C API: its values bound one by one, its rows
/// stepped and read in place. For the statements every job runs inside the single writer's transaction (the
/// run's end, its counters, the next claim and its settings probe), where GRDB's general path (`StatementArguments`
/// built from a sequence of `DatabaseValue`s, then copied into the statement; `Row`s through a cursor; an
/// `SQL` literal rendered and hashed per call) cost more than SQLite's own work on them (a daemon profile of
/// issue 16: `/work/notes/profile-1640.md`, `bench/RESULTS.md`).
///
/// What is written here by hand that GRDB otherwise does: binding (text and blobs copied, `SQLITE_TRANSIENT`,
/// as GRDB's `setArguments`), stepping, and turning a failed step into a `DatabaseError` with SQLite's message.
/// What is left out on purpose: GRDB's per-statement bookkeeping for features this store does not use on these
/// statements (transaction observers, `ValueObservation` regions, the aborted-transaction check, which matters
/// only to code that goes on after a failed statement: a failure here throws out of the transaction, which GRDB
/// then rolls back). The statement is reset when it ends (`step()` returning false, or `reset()`), so it holds
/// nothing between uses, and every parameter is bound again before each use.
struct SQLiteDirectStatement {
    /// The GRDB statement (kept alive, and found again in the connection's cache by its text).
    let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }

    /// The cached statement of `sql` (prepared on first use by this connection).
    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
    }

    /// `statement` itself, to be driven here.
    init(_ statement: Statement) {
        self.statement = statement
    }

    // MARK: Binding (parameters are numbered from 1)

    /// Binds an integer to parameter `index`.
    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds an integer to parameter `index`.
    func bind(_ index: Int32, _ value: Int) {
        sqlite3_bind_int64(handle, index, Int64(value))
    }

    /// Binds a real to parameter `index`.
    func bind(_ index: Int32, _ value: Double) {
        sqlite3_bind_double(handle, index, value)
    }

    /// Binds 1 or 0 to parameter `index`, as GRDB stores a `Bool`.
    func bind(_ index: Int32, _ value: Bool) {
        sqlite3_bind_int64(handle, index, value ? 1 : 0)
    }

    /// Binds a text (copied) to parameter `index`.
    func bind(_ index: Int32, _ value: String) {
        var text = value
        text.withUTF8 { bytes in
            // A NULL address would bind NULL, not an empty text.
            guard let address = bytes.baseAddress, !bytes.isEmpty else {
                sqlite3_bind_text(handle, index, "", 0, Self.transient)
                return
            }
            address.withMemoryRebound(to: CChar.self, capacity: bytes.count) { characters in
                _ = sqlite3_bind_text(handle, index, characters, Int32(bytes.count), Self.transient)
            }
        }
    }

    /// Binds a text, or NULL for nil, to parameter `index`.
    func bind(_ index: Int32, _ value: String?) {
        if let value { bind(index, value) } else { bindNull(index) }
    }

    /// Binds an integer, or NULL for nil, to parameter `index`.
    func bind(_ index: Int32, _ value: Int64?) {
        if let value { bind(index, value) } else { bindNull(index) }
    }

    /// Binds NULL to parameter `index`.
    func bindNull(_ index: Int32) {
        sqlite3_bind_null(handle, index)
    }

    /// Binds a value in GRDB's form, by its storage class.
    func bind(_ index: Int32, _ value: DatabaseValue) {
        switch value.storage {
        case .null: bindNull(index)
        case .int64(let integer): bind(index, integer)
        case .double(let double): bind(index, double)
        case .string(let text): bind(index, text)
        case .blob(let data): data.withUnsafeBytes { bind(index, blob: $0) }
        }
    }

    /// Binds a blob (copied) to parameter `index`.
    func bind(_ index: Int32, blob bytes: UnsafeRawBufferPointer) {
        // A NULL address would bind NULL, not an empty blob.
        guard let address = bytes.baseAddress, !bytes.isEmpty else {
            sqlite3_bind_zeroblob(handle, index, 0)
            return
        }
        sqlite3_bind_blob(handle, index, address, Int32(bytes.count), Self.transient)
    }

    // MARK: Running

    /// Steps once: true with a row to read, false when the statement is done (it is then reset). Throws the
    /// failure as GRDB would, after resetting the statement.
    func step(_ db: Database) throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            sqlite3_reset(handle)
            return false
        case let code:
            let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// Steps until done (a statement that returns no rows, or whose rows are not needed).
    func execute(_ db: Database) throws {
        while try step(db) {}
    }

    /// Ends a use that stopped before the statement was done.
    func reset() {
        sqlite3_reset(handle)
    }

    // MARK: Reading the current row (columns are numbered from 0)

    /// Whether the current row holds NULL in `column`.
    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    /// The current row's `column` as an integer (SQLite's conversion; 0 for NULL).
    func integer(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    /// The column as text (SQLite converts a number), nil for NULL.
    func text(_ column: Int32) -> String? {
        guard !isNull(column) else { return nil }
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The statement's text with its bound values written in as SQL literals (`sqlite3_expanded_sql`): what it
    /// runs, for messages and tests.
    var expandedSQL: String? {
        guard let text = sqlite3_expanded_sql(handle) else { return nil }
        defer { sqlite3_free(text) }
        return String(cString: text)
    }

    /// The statement's column names, in order.
    var columnNames: [String] { statement.columnNames }

    /// SQLite's `SQLITE_TRANSIENT` (a C macro Swift cannot import): SQLite copies the value before the bind returns.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }
}
