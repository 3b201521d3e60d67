import Foundation
import QueueCore
import QueueStorePostgres
import Synchronization

/// Fresh-database isolation for the PostgreSQL backend: every test gets its own database
/// (`qctest_<unix seconds>_<random>`) on the server `QUEUECTL_TEST_POSTGRES_URL` names, so tests
/// can run in parallel and a NOTIFY never crosses between them. Databases older than two hours are
/// dropped by the next test run; `scripts/postgres.sh stop` removes the whole throwaway server.
extension TestBackend {
    /// The prefix of every test database's name.
    static let postgresDatabasePrefix = "qctest_"

    private static let staleDatabasesDropped = Mutex(false)

    /// A fresh database on the server `QUEUECTL_TEST_POSTGRES_URL` names, as a URL.
    static func makePostgresDatabaseURL(in directory: TempDirectory) async throws -> String {
        guard let server = ProcessInfo.processInfo.environment[postgresURLVariable], !server.isEmpty else {
            throw QueueError.storeUnavailable(
                "\(postgresURLVariable) is not set: start a server with scripts/postgres.sh start")
        }
        let now = Int(Date().timeIntervalSince1970)
        if staleDatabasesDropped.withLock({ done in defer { done = true }; return !done }) {
            let prefix = postgresDatabasePrefix
            _ = try? await PostgresDatabaseAdmin.dropDatabases(prefixed: prefix, serverURL: server) { name in
                let stamp = name.dropFirst(prefix.count).prefix { $0 != "_" }
                return Int(stamp).map { now - $0 > 7200 } ?? false
            }
        }
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        return try await PostgresDatabaseAdmin.createDatabase(
            named: "\(postgresDatabasePrefix)\(now)_\(suffix)", serverURL: server)
    }

    /// A store on the PostgreSQL database `url`, reading time from the `now` each call passes
    /// (`PostgresClock.caller`) so tests can move time as they do on SQLite.
    static func makePostgresStore(url: String) async throws -> any JobStore {
        // A generous login deadline: on a loaded 2-core CI machine a fork of a server backend can take seconds.
        try await PostgresJobStore.connect(url: url, clock: .caller, maximumConnections: 8, connectTimeout: .seconds(20))
    }
}

extension TestBackend {
    /// A store on the PostgreSQL database `url` that stamps and compares instants with the server's
    /// clock, as the CLI and the workers do (`PostgresClock.database`): the `now` passed in is ignored
    /// for leases and due times, so tests can play hosts with skewed clocks.
    public static func openPostgresStoreWithServerClock(_ url: String) async throws -> any JobStore {
        try await PostgresJobStore.connect(url: url, clock: .database, maximumConnections: 4, connectTimeout: .seconds(20))
    }
}
