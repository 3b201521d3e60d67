import Foundation
import QueueCore
import QueueStorePostgres
import QueueStoreSQLite
import Testing

/// The stores every contract, worker and dashboard test runs against: `@Test(arguments: TestBackend.all)`.
/// SQLite always; PostgreSQL when `QUEUECTL_TEST_POSTGRES_URL` names a server (CI starts one).
public enum TestBackend: Sendable, CustomTestStringConvertible {
    /// A fresh SQLite file in the test's temp directory.
    case sqlite
    /// A fresh database on the server `QUEUECTL_TEST_POSTGRES_URL` names (see `TestBackend+Postgres.swift`).
    case postgres

    /// The environment variable that enables the PostgreSQL backend.
    public static let postgresURLVariable = "QUEUECTL_TEST_POSTGRES_URL"

    /// The backends available in this run.
    public static var all: [TestBackend] {
        let url = ProcessInfo.processInfo.environment[postgresURLVariable] ?? ""
        return url.isEmpty ? [.sqlite] : [.sqlite, .postgres]
    }

    public var testDescription: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }

    /// A fresh, empty database for one test: an SQLite file path in `directory`, or a PostgreSQL URL.
    /// Pass it to `openStore(_:)` (several times, to mimic several processes) or to the CLI as `QUEUECTL_DB`.
    public func makeDatabaseURL(in directory: TempDirectory) async throws -> String {
        switch self {
        case .sqlite: directory.file("queue.db")
        case .postgres: try await Self.makePostgresDatabaseURL(in: directory)
        }
    }

    /// A store on the database `url` (made by `makeDatabaseURL(in:)`).
    public func openStore(_ url: String) async throws -> any JobStore {
        switch self {
        case .sqlite: try SQLiteJobStore(path: url)
        case .postgres: try await Self.makePostgresStore(url: url)
        }
    }

    /// Runs `statements` on the database `url` (made by `makeDatabaseURL(in:)`) as written, in order: for tests
    /// that set up what only an earlier version of queuectl could have written. The SQL is the backend's own.
    public func execute(rawSQL statements: [String], on url: String) async throws {
        switch self {
        case .sqlite: try SQLiteSchema.execute(statements, inDatabaseAt: url)
        case .postgres: try await PostgresDatabaseAdmin.execute(unsafeSQL: statements, databaseURL: url)
        }
    }

    /// A store on a fresh database in `directory`.
    public func makeStore(in directory: TempDirectory) async throws -> any JobStore {
        try await openStore(makeDatabaseURL(in: directory))
    }
}
