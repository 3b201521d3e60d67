import Foundation
import QueueCore
import QueueStorePostgres
import QueueStoreSQLite

/// The composition root: turns `--home`/`--db` (or `QUEUECTL_HOME`/`QUEUECTL_DB`) into the data
/// directory and an open `JobStore`. The only place that knows the concrete store types.
public struct StoreResolver: Sendable {
    /// The data directory (logs, worker files, and the default database).
    public let home: QueueHome
    /// The store to open.
    public let location: StoreLocation

    /// Resolves the options: `database` (else `QUEUECTL_DB`, else `<home>/queue.db`) and `home`
    /// (else `QUEUECTL_HOME`, else `~/.queuectl`). An unknown URL scheme is a usage error.
    public init(home: String?, database: String?, environment: [String: String]) throws(QueueError) {
        self.home = QueueHome(option: home, environment: environment)
        if let database, !database.isEmpty {
            location = try StoreLocation(parsing: database)
        } else if let database = environment["QUEUECTL_DB"], !database.isEmpty {
            location = try StoreLocation(parsing: database)
        } else {
            location = .sqlite(path: self.home.databasePath)
        }
    }

    /// Creates the data directory (0700) with its `logs/` and `workers/` subdirectories, then opens the store.
    public func openStore() async throws -> any JobStore {
        try home.prepare()
        switch location {
        case .sqlite(let path):
            return try Self.openSQLite(path: path)
        case .postgres(let url):
            // The server's clock stamps leases and due times, so hosts with skewed clocks agree.
            return try await PostgresJobStore.connect(url: url, clock: .database)
        }
    }

    /// Opens the store, runs `body` with it, and releases it afterwards (also when `body` throws).
    public func withStore<Result: Sendable>(_ body: (any JobStore) async throws -> Result) async throws -> Result {
        let store = try await openStore()
        return try await body(store)
    }

    private static func openSQLite(path: String) throws(QueueError) -> any JobStore {
        try SQLiteJobStore(path: path)
    }
}
