import Foundation

/// The data directory (`QUEUECTL_HOME`, `--home`, default `~/.queuectl`) and the paths inside it.
public struct QueueHome: Sendable, Equatable {
    /// The directory itself.
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
        logsDirectory = self.root.appendingPathComponent("logs").path
    }

    /// Resolves the directory from `--home`, then `QUEUECTL_HOME`, then `~/.queuectl`.
    public init(option: String?, environment: [String: String]) {
        if let option, !option.isEmpty {
            self.init(root: URL(fileURLWithPath: option))
        } else if let fromEnvironment = environment["QUEUECTL_HOME"], !fromEnvironment.isEmpty {
            self.init(root: URL(fileURLWithPath: fromEnvironment))
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            self.init(root: URL(fileURLWithPath: home).appendingPathComponent(".queuectl"))
        }
    }

    /// The embedded store's database file.
    public var databasePath: String { root.appendingPathComponent("queue.db").path }
    /// Where job logs live (computed once: a worker asks for it with every job it runs).
    public let logsDirectory: String
    /// Where worker daemons keep pid files, wake-up sockets and their own logs.
    public var workersDirectory: String { root.appendingPathComponent("workers").path }

    /// The log file of job `id`; ids cannot contain `/` or start with `.`, so this stays inside `logs/`.
    public func logFile(for id: JobID) -> String {
        logsDirectory + "/" + id.rawValue + ".log"
    }

    /// Creates the directory (mode 0700) and its `logs/` and `workers/` subdirectories if missing.
    public func prepare() throws(QueueError) {
        for path in [root.path, logsDirectory, workersDirectory] {
            try Self.makeDirectory(path)
        }
    }

    /// `mkdir -p` with mode 0700, naming the path that is in the way and the system's reason on failure.
    /// A directory made meanwhile by another process (many commands first using a home at once) is fine.
    private static func makeDirectory(_ path: String) throws(QueueError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw .storeUnavailable("cannot use data directory: '\(path)' exists and is not a directory")
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try makeDirectory(parent) }
        guard mkdir(path, 0o700) == 0 else {
            let code = errno
            if code == EEXIST, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
                isDirectory.boolValue
            {
                return
            }
            throw .storeUnavailable("cannot create data directory '\(path)': \(reason(code))")
        }
        // mkdir's mode passes through the umask; the contract says 0700.
        _ = chmod(path, 0o700)
    }

    /// The system's text for `code`, as the rest of a sentence ("permission denied").
    private static func reason(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        guard let first = text.first else { return "error \(code)" }
        return first.lowercased() + text.dropFirst()
    }
}
