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

    /// Who opens the store, which decides how durable each SQLite commit is made before it returns.
    public enum Purpose: Sendable {
        /// A user command: every write (an enqueue above all) is fsynced before the command returns.
        case command
        /// A worker daemon: run transitions are not fsynced one by one (see `SQLiteJobStore.Durability.deferred`).
        case worker
    }

    /// Creates the data directory (0700) with its `logs/` and `workers/` subdirectories, then opens the store.
    public func openStore(for purpose: Purpose = .command) async throws -> any JobStore {
        try home.prepare()
        switch location {
        case .sqlite(let path):
            return try SQLiteJobStore(path: path, durability: purpose == .worker ? .deferred : .synced)
        case .postgres(let url):
            // The server's clock stamps leases and due times, so hosts with skewed clocks agree.
            return try await PostgresJobStore.connect(url: url, clock: .database)
        }
    }

    /// Opens the store, runs `body` with it, and releases it afterwards (also when `body` throws).
    public func withStore<Result: Sendable>(
        for purpose: Purpose = .command, _ body: (any JobStore) async throws -> Result
    ) async throws -> Result {
        let store = try await openStore(for: purpose)
        do {
            let result = try await body(store)
            await Self.close(store)
            return result
        } catch {
            await Self.close(store)
            throw error
        }
    }

    /// Ends a PostgreSQL store's connections with a proper goodbye (the server otherwise logs every CLI
    /// call as "connection reset by peer"); lets an SQLite store truncate a large WAL.
    private static func close(_ store: any JobStore) async {
        if let postgres = store as? PostgresJobStore { await postgres.close() }
        if let sqlite = store as? SQLiteJobStore { await sqlite.close() }
    }
}
