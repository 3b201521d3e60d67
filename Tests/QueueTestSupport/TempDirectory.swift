import Foundation

/// A fresh directory under `$TMPDIR` (or /tmp) that belongs to one test and is removed when the
/// last reference goes away (or at the end of `TempDirectory.with`).
public final class TempDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates the directory (mode 0700).
    public init(prefix: String = "queuectl-test") throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let candidate = URL(fileURLWithPath: base)
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.lowercased().prefix(13))").path
        try FileManager.default.createDirectory(
            atPath: candidate, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        path = candidate
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String {
        path + "/" + name
    }

    /// Runs `body` with a fresh directory that is removed afterwards, even when `body` throws.
    public static func with<T>(_ body: (TempDirectory) async throws -> T) async throws -> T {
        let directory = try TempDirectory()
        defer { withExtendedLifetime(directory) {} }
        return try await body(directory)
    }
}
