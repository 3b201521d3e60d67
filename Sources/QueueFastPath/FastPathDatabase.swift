import CQueueSQLite

#if canImport(Glibc)
    import Glibc
#endif

/// A connection to an existing SQLite queue database through the C API, set up as `SQLiteJobStore` sets up its
/// connections (30 s busy timeout, `synchronous = FULL`, the WAL kept on close), for the fast path's statements.
/// Opening declines unless the database is in WAL mode at exactly the newest schema version the fast path
/// knows: a database a migration would change, or one a newer queuectl migrated, goes to the full path.
final class FastPathDatabase {
    private let connection: OpaquePointer

    /// Opens the database at `path`, which must exist (nothing is created).
    init(path: String) throws(FastPathDecline) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
            sqlite3_close(handle)
            throw FastPathDecline()
        }
        connection = handle
        guard sqlite3_busy_timeout(handle, 30_000) == SQLITE_OK,
            qc_sqlite_keep_wal_on_close(handle) == SQLITE_OK
        else { throw FastPathDecline() }
        try execute(FastPathSQL.synchronousFull)
        guard try text(FastPathSQL.journalMode) == "wal" else { throw FastPathDecline() }
    }

    deinit {
        sqlite3_close(connection)
    }

    /// Runs `body` in one read transaction (one snapshot, as `DatabasePool.read` gives), after checking that the
    /// schema is the one the fast path's statements were written for.
    func read<Result>(_ body: () throws(FastPathDecline) -> Result) throws(FastPathDecline) -> Result {
        try execute(FastPathSQL.beginDeferred)
        do throws(FastPathDecline) {
            guard try integer(FastPathSQL.schemaVersion) == FastPathSQL.knownSchemaVersion else { throw FastPathDecline() }
            let result = try body()
            try execute(FastPathSQL.commit)
            return result
        } catch {
            _ = sqlite3_exec(connection, FastPathSQL.rollback, nil, nil, nil)
            throw error
        }
    }

    /// Runs `body` in one IMMEDIATE transaction (as GRDB's `write {}`), after checking the schema version; any
    /// failure rolls it back, so a declined write leaves nothing behind.
    func write(_ body: () throws(FastPathDecline) -> Void) throws(FastPathDecline) {
        try execute(FastPathSQL.beginImmediate)
        do throws(FastPathDecline) {
            guard try integer(FastPathSQL.schemaVersion) == FastPathSQL.knownSchemaVersion else { throw FastPathDecline() }
            try body()
            try execute(FastPathSQL.commit)
        } catch {
            _ = sqlite3_exec(connection, FastPathSQL.rollback, nil, nil, nil)
            throw error
        }
    }

    /// Rows changed by the latest statement.
    var changes: Int32 { sqlite3_changes(connection) }

    /// Checkpoints the WAL into the database and truncates it; a failure (a busy reader) only postpones that.
    func checkpointTruncatingWAL() {
        _ = sqlite3_exec(connection, FastPathSQL.checkpointTruncate, nil, nil, nil)
    }

    /// Runs a statement without results.
    func execute(_ sql: String) throws(FastPathDecline) {
        guard sqlite3_exec(connection, sql, nil, nil, nil) == SQLITE_OK else { throw FastPathDecline() }
    }

    /// The first column of the first row of `sql` as an integer (a row is required).
    func integer(_ sql: String) throws(FastPathDecline) -> Int64 {
        let statement = try prepare(sql)
        guard try statement.step() else { throw FastPathDecline() }
        return try statement.integer(0)
    }

    /// The first column of the first row of `sql` as text (a row is required).
    func text(_ sql: String) throws(FastPathDecline) -> String {
        let statement = try prepare(sql)
        guard try statement.step() else { throw FastPathDecline() }
        return try statement.text(0)
    }

    /// Prepares `sql` (one statement).
    func prepare(_ sql: String) throws(FastPathDecline) -> FastPathStatement {
        var handle: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &handle, nil) == SQLITE_OK, let handle else {
            throw FastPathDecline()
        }
        return FastPathStatement(handle)
    }
}

/// One prepared statement; values are bound by position and columns read by the index the caller looked up by
/// name (`index(of:)`), with their SQLite type checked, so that an unexpected value declines instead of being
/// read as something else.
final class FastPathStatement {
    private let handle: OpaquePointer

    init(_ handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds `value` to the 1-based parameter `index`.
    func bind(_ value: String, at index: Int32) throws(FastPathDecline) {
        // SQLITE_TRANSIENT: SQLite copies the text, which lives only as long as this call.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        guard sqlite3_bind_text(handle, index, value, -1, transient) == SQLITE_OK else { throw FastPathDecline() }
    }

    /// Binds `value` to the 1-based parameter `index`.
    func bind(_ value: Int64, at index: Int32) throws(FastPathDecline) {
        guard sqlite3_bind_int64(handle, index, value) == SQLITE_OK else { throw FastPathDecline() }
    }

    /// Advances to the next row: true when there is one, false when done.
    func step() throws(FastPathDecline) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw FastPathDecline()
        }
    }

    /// The position of the result column named `name`.
    func index(of name: String) throws(FastPathDecline) -> Int32 {
        for index in 0..<sqlite3_column_count(handle) {
            if let columnName = sqlite3_column_name(handle, index), String(cString: columnName) == name {
                return index
            }
        }
        throw FastPathDecline()
    }

    /// Whether column `index` of the current row is NULL.
    func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(handle, index) == SQLITE_NULL
    }

    /// Column `index` of the current row, which must be an integer.
    func integer(_ index: Int32) throws(FastPathDecline) -> Int64 {
        guard sqlite3_column_type(handle, index) == SQLITE_INTEGER else { throw FastPathDecline() }
        return sqlite3_column_int64(handle, index)
    }

    /// Column `index` of the current row: an integer, or nil for NULL.
    func optionalInteger(_ index: Int32) throws(FastPathDecline) -> Int64? {
        isNull(index) ? nil : try integer(index)
    }

    /// Column `index` of the current row, which must be text. Read as GRDB reads text (`String(cString:)`: up to
    /// a NUL, bytes that are not UTF-8 replaced with U+FFFD), so both paths show the same string.
    func text(_ index: Int32) throws(FastPathDecline) -> String {
        guard sqlite3_column_type(handle, index) == SQLITE_TEXT, let pointer = sqlite3_column_text(handle, index) else {
            throw FastPathDecline()
        }
        return String(cString: pointer)
    }

    /// Column `index` of the current row: text, or nil for NULL.
    func optionalText(_ index: Int32) throws(FastPathDecline) -> String? {
        isNull(index) ? nil : try text(index)
    }
}
