import Foundation
import PostgresNIO
import QueueCore

extension QueueError {
    /// Maps an error from postgres-nio to one clean line that names the server by `host:port` (never
    /// the URL's password) and says what to do; a `QueueError` passes through unchanged.
    static func postgres(_ error: any Error, url: PostgresURL, connecting: Bool = false) -> QueueError {
        if let queueError = error as? QueueError { return queueError }
        let server = "PostgreSQL at \(url.endpoint)"
        guard let psql = error as? PSQLError else {
            if error is CancellationError { return .operationFailed("the query to \(server) was cancelled") }
            return .storeUnavailable("cannot reach \(server): \(PostgresURL.redact(oneLine(error)))")
        }
        switch psql.code {
        case .server:
            let message = psql.serverInfo?[.message] ?? "unknown server error"
            let sqlState = psql.serverInfo?[.sqlState] ?? ""
            if connecting || sqlState.hasPrefix("28") || sqlState.hasPrefix("3D") || sqlState.hasPrefix("08")
                || sqlState == "57P03" || sqlState == "53300"
            {
                return .storeUnavailable("\(server) refused the connection: \(message)\(advice(sqlState, url))")
            }
            if sqlState == "23505", psql.serverInfo?[.constraintName] == UniqueKey.indexName {
                return UniqueKey.heldByAnotherJob
            }
            return .operationFailed("\(server) failed the query: \(message)")
        case .sslUnsupported:
            return .storeUnavailable(
                "\(server) does not offer TLS, which sslmode=\(url.tlsMode.rawValue) requires; use sslmode=disable or enable ssl on the server")
        case .serverClosedConnection where connecting:
            return .storeUnavailable(
                "cannot reach \(server): the server closed the connection before login; check that the URL names a PostgreSQL server")
        case .connectionError, .serverClosedConnection, .uncleanShutdown:
            let reason = psql.underlying.map(reason(of:)) ?? "the connection was closed"
            return .storeUnavailable(
                "cannot reach \(server): \(reason); check that the server runs and accepts TCP connections")
        case .authMechanismRequiresPassword:
            return .storeUnavailable(
                "\(server) asks for a password: put it in the URL (postgres://user:PASSWORD@host:port/db)")
        case .unsupportedAuthMechanism:
            return .storeUnavailable("\(server) asks for an authentication method queuectl does not support")
        case .failedToAddSSLHandler:
            return .storeUnavailable("cannot set up TLS to \(server)")
        case .poolClosed, .clientClosedConnection:
            return .operationFailed("the connection to \(server) was closed")
        default:
            return .operationFailed("\(server) error: \(psql.code)")
        }
    }

    /// A hint for the common refusals.
    private static func advice(_ sqlState: String, _ url: PostgresURL) -> String {
        switch sqlState {
        case "28P01", "28000": "; check the user and password in the URL"
        case "3D000": "; create it (createdb \(url.database)) or name an existing database in the URL"
        default: ""
        }
    }

    /// A short description of a connection failure (refused, timed out, unknown host).
    private static func reason(of error: any Error) -> String {
        let text = oneLine(error)
        let lowered = text.lowercased()
        if lowered.contains("refused") { return "connection refused" }
        if lowered.contains("timed out") || lowered.contains("timeout") { return "connection timed out" }
        if lowered.contains("resolve") || lowered.contains("unknown host") || lowered.contains("name or service") {
            return "unknown host"
        }
        if lowered.contains("unreachable") { return "network unreachable" }
        return PostgresURL.redact(text)
    }

    private static func oneLine(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.split(separator: "\n").first.map(String.init) ?? "unknown error"
    }
}
