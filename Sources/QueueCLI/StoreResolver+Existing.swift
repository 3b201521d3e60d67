import Foundation
import QueueCore
import QueueStorePostgres
import QueueStoreSQLite

extension StoreResolver {
    /// Runs `body` with the store only if it exists already, creating nothing (no data directory, no SQLite
    /// file): nil when the SQLite file is missing. For shell completion, which must leave no files behind.
    /// A PostgreSQL store is connected to as usual.
    func withExistingStore<Result: Sendable>(_ body: (any JobStore) async throws -> Result) async throws -> Result? {
        let store: any JobStore
        switch location {
        case .sqlite(let path):
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            store = try SQLiteJobStore(path: path, durability: .synced)
        case .postgres(let url):
            store = try await PostgresJobStore.connect(url: url, clock: .database)
        }
        do {
            let result = try await body(store)
            await Self.closeStore(store)
            return result
        } catch {
            await Self.closeStore(store)
            throw error
        }
    }

    /// Closes a store opened by `withExistingStore`.
    private static func closeStore(_ store: any JobStore) async {
        if let postgres = store as? PostgresJobStore { await postgres.close() }
        if let sqlite = store as? SQLiteJobStore { await sqlite.close() }
    }
}
