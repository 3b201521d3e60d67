import Foundation
import Logging
import PostgresNIO
import QueueCore

/// Creates and drops whole databases on a server, for tests and benchmarks that want a fresh
/// database each (River's `riverdbtest` idea): `createDatabase` returns the new database's URL.
public enum PostgresDatabaseAdmin {
    private static let logger = Logger(label: "queuectl.postgres.admin", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Creates a database named `name` (letters, digits and `_`, starting with a letter) on the server
    /// `serverURL` names, and returns `serverURL` pointing at it.
    public static func createDatabase(named name: String, serverURL: String) async throws -> String {
        try checkIdentifier(name)
        let url = try PostgresURL(parsing: serverURL)
        try await withConnection(url) { connection, logger in
            let sequence: PostgresRowSequence = try await connection.query(
                PostgresSQL.createDatabase(name), logger: logger)
            _ = try await sequence.collect()
        }
        var target = url
        target.database = name
        return target.connectionString
    }

    /// Drops the databases whose names start with `prefix` and for which `shouldDrop` returns true,
    /// disconnecting their clients; returns how many were dropped.
    @discardableResult
    public static func dropDatabases(
        prefixed prefix: String, serverURL: String, where shouldDrop: @escaping @Sendable (String) -> Bool
    ) async throws -> Int {
        let url = try PostgresURL(parsing: serverURL)
        return try await withConnection(url) { connection, logger in
            let listed: PostgresRowSequence = try await connection.query(
                PostgresSQL.databases(prefixed: prefix), logger: logger)
            var dropped = 0
            for name in try await listed.collect().map({ try $0.decode(String.self) }) where shouldDrop(name) {
                guard (try? checkIdentifier(name)) != nil else { continue }
                let sequence: PostgresRowSequence = try await connection.query(
                    PostgresSQL.dropDatabase(name), logger: logger)
                _ = try await sequence.collect()
                dropped += 1
            }
            return dropped
        }
    }

    /// Runs `statements` in order on the database `databaseURL` names, each on its own: for tests that set
    /// up what only an earlier version of queuectl could have written.
    package static func execute(unsafeSQL statements: [String], databaseURL: String) async throws {
        try await withConnection(try PostgresURL(parsing: databaseURL)) { connection, logger in
            for statement in statements {
                let sequence: PostgresRowSequence = try await connection.query(
                    PostgresQuery(unsafeSQL: statement), logger: logger)
                _ = try await sequence.collect()
            }
        }
    }

    private static func checkIdentifier(_ name: String) throws(QueueError) {
        let bytes = Array(name.utf8)
        let valid =
            !bytes.isEmpty && bytes.count <= 63 && bytes[0].isLowercaseLetter
            && bytes.allSatisfy { $0.isLowercaseLetter || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") }
        guard valid else {
            throw .invalidInput("invalid database name '\(name)': use lowercase letters, digits and '_', starting with a letter")
        }
    }

    private static func withConnection<T: Sendable>(
        _ url: PostgresURL, _ body: (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        let configuration = try PostgresJobStore.configurations(url, maximumConnections: 1, connectTimeout: .seconds(10)).0
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: configuration, id: PostgresJobStore.nextConnectionID(), logger: logger)
        } catch {
            throw QueueError.postgres(error, url: url, connecting: true)
        }
        do {
            let result = try await body(connection, logger)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw QueueError.postgres(error, url: url)
        }
    }
}

extension UInt8 {
    fileprivate var isLowercaseLetter: Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) }
}
