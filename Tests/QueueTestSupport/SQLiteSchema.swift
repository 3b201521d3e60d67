import GRDB

/// Reads the schema of a SQLite database file, for tests that check what the store created
/// (tests may run raw SQL only through fixtures in this target).
public enum SQLiteSchema {
    /// The names of the tables in the database at `path`, sorted.
    public static func tableNames(inDatabaseAt path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
    }

    /// The page size of the database at `path` (`PRAGMA page_size`).
    public static func pageSize(ofDatabaseAt path: String) throws -> Int {
        try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0 }
    }

    /// Creates a database at `path` with `bytes`-byte pages in WAL mode, holding one table, as an older queuectl
    /// (SQLite's default pages) left it before any migration of the store ran.
    public static func createDatabase(at path: String, pageSize bytes: Int) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = \(bytes)")
            try db.execute(sql: "CREATE TABLE older_queuectl (x INTEGER)")
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
        }
    }

    /// Runs `statements` in one transaction on the database at `path` (waiting up to 10 s for the write lock
    /// when a running worker holds it).
    public static func execute(_ statements: [String], inDatabaseAt path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.write { db in
            for statement in statements { try db.execute(sql: statement) }
        }
    }
}
