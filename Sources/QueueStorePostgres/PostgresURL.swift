import Foundation
import QueueCore

/// A parsed `postgres://user:pass@host:port/db?sslmode=…` URL (`postgresql://` too), with a redacted
/// form for every message and log line: the password is never printed.
public struct PostgresURL: Sendable, Equatable {
    /// How the connection uses TLS, as libpq's `sslmode` names it.
    public enum TLSMode: String, Sendable, Equatable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it (libpq's default, also for `allow`).
        case prefer
        /// TLS or fail; the certificate is not checked (as libpq's `require`).
        case require
        /// TLS or fail, and the certificate must be trusted and name the host (`verify-ca`/`verify-full`).
        case verifyFull = "verify-full"
    }

    /// The server's host name or address.
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// The role to log in as.
    public var user: String
    /// The role's password, if the URL has one.
    public var password: String?
    /// The database name.
    public var database: String
    /// How TLS is used.
    public var tlsMode: TLSMode

    /// Parses `text`. Throws a usage error (naming the redacted URL) for anything that is not a usable URL.
    public init(parsing text: String) throws(QueueError) {
        let redacted = Self.redact(text)
        func invalid(_ why: String) -> QueueError {
            .invalidInput("invalid PostgreSQL URL '\(redacted)': \(why); use postgres://user:pass@host:5432/db")
        }
        guard let components = URLComponents(string: text) else { throw invalid("it is not a URL") }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw invalid("the scheme must be postgres:// or postgresql://")
        }
        guard let host = components.host, !host.isEmpty else { throw invalid("it names no host") }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw invalid("the port must be from 1 to 65535") }
        user = components.user.flatMap { $0.removingPercentEncoding ?? $0 } ?? "postgres"
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let name = path.removingPercentEncoding ?? path
        database = name.isEmpty ? user : name
        tlsMode = .prefer
        for item in components.queryItems ?? [] {
            switch item.name.lowercased() {
            case "sslmode":
                switch (item.value ?? "").lowercased() {
                case "disable": tlsMode = .disable
                case "allow", "prefer": tlsMode = .prefer
                case "require": tlsMode = .require
                case "verify-ca", "verify-full": tlsMode = .verifyFull
                default:
                    throw invalid("sslmode must be disable, allow, prefer, require, verify-ca or verify-full")
                }
            case "connect_timeout", "application_name":
                continue
            default:
                throw invalid("unsupported parameter '\(item.name)' (supported: sslmode)")
            }
        }
    }

    /// The URL with its password replaced by `***`: the only form messages and logs may show.
    public var redacted: String {
        let credentials = user.isEmpty ? "" : (password == nil ? "\(user)@" : "\(user):***@")
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(credentials)\(hostPart):\(port)/\(database)"
    }

    /// The full URL, password included, to hand to another process (never to print: use `redacted`).
    public var connectionString: String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        var credentials = encode(user)
        if let password { credentials += ":" + encode(password) }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let query = tlsMode == .prefer ? "" : "?sslmode=\(tlsMode.rawValue)"
        return "postgres://\(credentials)@\(hostPart):\(port)/\(encode(database))\(query)"
    }

    /// `host:port`, for messages.
    public var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Replaces the password of any `scheme://user:password@` in `text` with `***`, even in text that
    /// does not parse as a URL, so no error path can print one.
    public static func redact(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return text }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(rest[at...])
    }
}
