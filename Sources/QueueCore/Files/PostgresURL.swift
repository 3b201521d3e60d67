import Foundation

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
    ///
    /// The credentials end at the last `@`, so a password may hold `/`, `?`, `#`, `:` or `@` without
    /// percent-encoding and no piece of it is ever taken for the host, port, database or a parameter
    /// (an `@` in a parameter value must then be written `%40`). Messages never echo a parameter's value,
    /// nor, in a URL with credentials, its name.
    public init(parsing text: String) throws(QueueError) {
        func invalid(_ why: String) -> QueueError {
            .invalidInput(
                "invalid PostgreSQL URL '\(Self.redactedForMessages(text))': \(why); use postgres://user:pass@host:5432/db")
        }
        guard let schemeEnd = text.range(of: "://") else { throw invalid("it is not a URL") }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw invalid("the scheme must be postgres:// or postgresql://")
        }
        var rest = text[schemeEnd.upperBound...]
        var userInfo: Substring?
        if let at = rest.lastIndex(of: "@") {
            userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        guard let components = URLComponents(string: "postgres://" + rest) else { throw invalid("it is not a URL") }
        guard let host = components.host, !host.isEmpty else { throw invalid("it names no host") }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw invalid("the port must be from 1 to 65535") }
        func decoded(_ part: Substring) -> String { part.removingPercentEncoding ?? String(part) }
        if let userInfo {
            if let colon = userInfo.firstIndex(of: ":") {
                user = decoded(userInfo[..<colon])
                password = decoded(userInfo[userInfo.index(after: colon)...])
            } else {
                user = decoded(userInfo)
                password = nil
            }
            if user.isEmpty { user = "postgres" }
        } else {
            user = "postgres"
            password = nil
        }
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
            case "password":
                throw invalid("give the password before the host (postgres://user:PASSWORD@host/db), not as a parameter")
            default:
                // Named only in a URL without credentials, and only when it looks like a parameter name.
                let looksLikeName = item.name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "_" }
                let name = userInfo == nil && looksLikeName ? "'\(item.name.prefix(40))'" : "a parameter"
                throw invalid("unsupported parameter \(name) (supported: sslmode)")
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

    /// `text` with every credential it may hold replaced by `***`, for any message or log line, even when
    /// `text` does not parse as a URL (a misspelled scheme, a stray argument):
    ///
    /// - after each `://`, everything up to the last `@` before the next `://` (user and password; a
    ///   password with an unencoded `/`, `?`, `@` or space cannot leave a piece behind);
    /// - the value of every `password=` parameter;
    /// - in each word that has no `://` (`postgres:/u:pw@host`, `u:pw@host/db`), everything from its first
    ///   `:` to its last `@`.
    ///
    /// The placeholders of our own hints (`postgres://user:pass@host:port/db`) are left as they are.
    public static func redact(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let schemeEnd = rest.range(of: "://") {
            let afterScheme = rest[schemeEnd.upperBound...]
            let region = afterScheme[..<(afterScheme.range(of: "://")?.lowerBound ?? afterScheme.endIndex)]
            result += maskedWords(rest[..<schemeEnd.upperBound])
            if let at = region.lastIndex(of: "@") {
                let userInfo = String(region[..<at])
                result += placeholders.contains(userInfo) ? userInfo : "***"
                rest = afterScheme[at...]
            } else {
                rest = afterScheme
            }
        }
        result += maskedWords(rest)
        return maskedPasswordParameters(result)
    }

    /// The credentials in the example URLs our messages give as advice.
    private static let placeholders: Set<String> = ["user:pass", "user:PASSWORD"]

    /// `text` for a message about a URL that did not parse: redacted, and without its parameters (their
    /// values may be secrets, and in a URL that is not understood a parameter may be a piece of a password).
    static func redactedForMessages(_ text: String) -> String {
        let redacted = redact(text)
        guard let schemeEnd = redacted.range(of: "://"),
            let query = redacted[schemeEnd.upperBound...].firstIndex(where: { $0 == "?" || $0 == "#" })
        else { return redacted }
        return String(redacted[..<query])
    }

    /// Masks `user:password@` in each word of `text` (split at spaces and quotes) that holds no `://`.
    private static func maskedWords(_ text: Substring) -> String {
        var result = ""
        var word = ""
        func flush() {
            if !word.contains("://"), let at = word.lastIndex(of: "@"), let colon = word[..<at].firstIndex(of: ":") {
                result += String(word[...colon]) + "***" + String(word[at...])
            } else {
                result += word
            }
            word = ""
        }
        for character in text {
            if character.isWhitespace || character == "'" || character == "\"" || character == "`" {
                flush()
                result.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return result
    }

    /// Replaces the value of every `password=` (any case) with `***`, up to the next `&`, space or quote.
    private static func maskedPasswordParameters(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let key = rest.range(of: "password=", options: .caseInsensitive) {
            result += String(rest[..<key.upperBound]) + "***"
            let value = rest[key.upperBound...]
            rest = value[(value.firstIndex { $0 == "&" || $0.isWhitespace || $0 == "'" || $0 == "\"" } ?? value.endIndex)...]
        }
        return result + String(rest)
    }
}
