import Foundation
import QueueCore

/// Which store a `--db` value / `QUEUECTL_DB` names.
public enum StoreLocation: Sendable, Equatable {
    /// The embedded SQLite store, at this absolute file path.
    case sqlite(path: String)
    /// A PostgreSQL server (`postgres://` or `postgresql://` URL).
    case postgres(url: String)

    /// The store `option` (`--db`), else `QUEUECTL_DB` in `environment`, names; nil when neither names one (the
    /// data directory's database is meant then).
    public init?(option: String?, environment: [String: String]) throws(QueueError) {
        if let option, !option.isEmpty {
            try self.init(parsing: option)
        } else if let variable = environment["QUEUECTL_DB"], !variable.isEmpty {
            try self.init(parsing: variable)
        } else {
            return nil
        }
    }

    /// Parses a store value: a `postgres://`/`postgresql://` URL, a `file://` URL, or a file path
    /// (relative paths are taken from the current directory). Any other `scheme://` is a usage error.
    public init(parsing value: String) throws(QueueError) {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw .invalidInput("the store is empty: give a SQLite file path or a postgres:// URL with --db")
        }
        if let scheme = Self.scheme(of: trimmed) {
            switch scheme.lowercased() {
            case "postgres", "postgresql":
                self = .postgres(url: trimmed)
            case "file":
                self = .sqlite(path: try Self.path(ofFileURL: trimmed))
            default:
                throw .invalidInput(
                    "unsupported store '\(scheme)://': use a SQLite file path or a postgres://user:pass@host:port/db URL")
            }
            return
        }
        // A mistyped URL (`postgres:/u:pw@host/db`, `u:pw@host/db`) would otherwise become a file path,
        // and the message about that file would show the password. The value is not echoed.
        if Self.looksLikeURL(trimmed) {
            throw .invalidInput(
                "the store (--db or QUEUECTL_DB) looks like a URL, not a SQLite file path: write it as postgres://user:pass@host:port/db (check the '://' after the scheme)")
        }
        let absolute = URL(fileURLWithPath: trimmed).standardizedFileURL.path
        self = .sqlite(path: absolute)
    }

    /// The path a `file://` URL names. Only a local file will do: `file://relative/x.db` names the host
    /// `relative` (and the path `/x.db`), so any host but none or `localhost` is refused, as are a query or
    /// fragment that would otherwise be dropped without a word.
    private static func path(ofFileURL text: String) throws(QueueError) -> String {
        let advice = "use file:///absolute/path/queue.db or a plain (relative) path"
        guard let components = URLComponents(string: text) else {
            throw .invalidInput("invalid file URL '\(text)': \(advice)")
        }
        if let host = components.host, !host.isEmpty, host.lowercased() != "localhost" {
            throw .invalidInput(
                "invalid file URL '\(text)': it names the host '\(host)', and only local files can be used; \(advice)")
        }
        guard components.query == nil, components.fragment == nil else {
            throw .invalidInput("invalid file URL '\(text)': a query or fragment has no meaning here; \(advice)")
        }
        let path = components.path  // already percent-decoded
        guard path.hasPrefix("/"), path.count > 1 else {
            throw .invalidInput("invalid file URL '\(text)': it names no file; \(advice)")
        }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Whether a value without `://` is still meant as a URL: it has credentials (`user:pass@host`, a `:`
    /// before the last `@`), or it starts with a store scheme and a colon (`postgres:/…`, `file:x.db`).
    private static func looksLikeURL(_ value: String) -> Bool {
        if let at = value.lastIndex(of: "@"), value[..<at].contains(":") { return true }
        let lowered = value.lowercased()
        return ["postgres:", "postgresql:", "file:"].contains { lowered.hasPrefix($0) }
    }

    /// The `scheme` of `scheme://…`, if the value has that shape.
    private static func scheme(of value: String) -> String? {
        guard let range = value.range(of: "://") else { return nil }
        let scheme = value[..<range.lowerBound]
        guard let first = scheme.first, first.isLetter,
            scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." })
        else { return nil }
        return String(scheme)
    }
}
