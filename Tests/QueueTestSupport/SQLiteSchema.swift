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
