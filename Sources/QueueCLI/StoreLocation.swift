import Foundation
import QueueCore

/// Which store a `--db` value / `QUEUECTL_DB` names.
public enum StoreLocation: Sendable, Equatable {
    /// The embedded SQLite store, at this absolute file path.
    case sqlite(path: String)
    /// A PostgreSQL server (`postgres://` or `postgresql://` URL).
    case postgres(url: String)

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
                guard let path = URL(string: trimmed)?.path, !path.isEmpty else {
                    throw .invalidInput("invalid file URL '\(trimmed)': use file:///absolute/path/queue.db or a plain path")
                }
                self = .sqlite(path: path)
            default:
                throw .invalidInput(
                    "unsupported store '\(scheme)://': use a SQLite file path or a postgres://user:pass@host:port/db URL")
            }
            return
        }
        let absolute = URL(fileURLWithPath: trimmed).standardizedFileURL.path
        self = .sqlite(path: absolute)
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
