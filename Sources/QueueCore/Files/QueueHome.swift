import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The data directory (`QUEUECTL_HOME`, `--home`, default `~/.queuectl`) and the paths inside it.
///
/// A home is trusted only when this user owns it and nobody else can write to it (`checkOwnership()`): another
/// local account that could plant a job, a database or a symbolic link in it could otherwise make this user's
/// workers run its commands or write through its links.
public struct QueueHome: Sendable, Equatable {
    /// The directory itself.
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
        logsDirectory = self.root.appendingPathComponent("logs").path
    }

    /// Resolves the directory from `--home`, then `QUEUECTL_HOME`, then `~/.queuectl`. An empty `--home` or a
    /// `QUEUECTL_HOME` that is set but empty is a usage error: falling back to `~/.queuectl` would quietly use
    /// another queue than the one meant.
    public init(option: String?, environment: [String: String]) throws(QueueError) {
        if let option {
            guard !option.isEmpty else {
                throw .invalidInput("--home is empty: give the data directory, or leave the option out for ~/.queuectl")
            }
            self.init(root: URL(fileURLWithPath: option))
        } else if let fromEnvironment = environment["QUEUECTL_HOME"] {
            guard !fromEnvironment.isEmpty else {
                throw .invalidInput(
                    "QUEUECTL_HOME is set but empty: give it the data directory, or unset it for ~/.queuectl")
            }
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

    /// Checks the home, then creates it (mode 0700) and its `logs/` and `workers/` subdirectories if missing.
    /// Checked again afterwards: a directory that another account made between the check and `mkdir` is
    /// taken as existing by `mkdir -p`, and must be refused all the same.
    public func prepare() throws(QueueError) {
        try checkOwnership()
        for path in [root.path, logsDirectory, workersDirectory] {
            try Self.makeDirectory(path)
        }
        try checkOwnership()
    }

    /// Refuses a home that another local account could have planted or can change: the directory, `logs/`,
    /// `workers/` and `queue.db` with its `-wal` and `-shm` files, those that exist, must belong to the effective
    /// user and be writable by nobody else; `logs/` and `workers/` must be real directories and the database
    /// files regular files (not symbolic links). Missing parts are fine (`prepare()` creates them).
    public func checkOwnership() throws(QueueError) {
        var status = stat()
        if stat(root.path, &status) != 0, errno == ENOTDIR {
            // A home under a regular file can never exist: say which file is in the way.
            var path = root.deletingLastPathComponent().path
            while path != "/", stat(path, &status) != 0 { path = (path as NSString).deletingLastPathComponent }
            throw .storeUnavailable("cannot use data directory: '\(path)' exists and is not a directory")
        }
        try Self.checkEntry(root.path, kind: .directory, followLink: true, home: root.path)
        try Self.checkEntry(logsDirectory, kind: .directory, followLink: false, home: root.path)
        try Self.checkEntry(workersDirectory, kind: .directory, followLink: false, home: root.path)
        for suffix in ["", "-wal", "-shm"] {
            try Self.checkEntry(databasePath + suffix, kind: .file, followLink: false, home: root.path)
        }
    }

    /// Refuses a SQLite database file (and its `-wal`/`-shm`) outside the home on the same terms as `queue.db`.
    public static func checkDatabaseFile(_ path: String) throws(QueueError) {
        for suffix in ["", "-wal", "-shm"] {
            try checkEntry(path + suffix, kind: .file, followLink: false, home: nil)
        }
    }

    /// What an entry of the home must be.
    private enum EntryKind {
        case directory, file
    }

    /// Checks one entry (absent is fine): its type, its owner, and that group and others cannot write to it.
    /// The message says what is wrong and how to fix it, in one line.
    private static func checkEntry(_ path: String, kind: EntryKind, followLink: Bool, home: String?) throws(QueueError) {
        var status = stat()
        let found = followLink ? stat(path, &status) : lstat(path, &status)
        guard found == 0 else { return }
        let what = home == nil ? "queue database '\(path)'" : (path == home ? "data directory '\(path)'" : "'\(path)' in the data directory")
        let type = status.st_mode & S_IFMT
        switch kind {
        case .directory where type != S_IFDIR:
            if type == S_IFLNK {
                throw .storeUnavailable("refusing \(what): it is a symbolic link, not a directory; remove it (queuectl creates it)")
            }
            if path == home {
                throw .storeUnavailable("cannot use data directory: '\(path)' exists and is not a directory")
            }
            throw .storeUnavailable("refusing \(what): it is not a directory; remove it (queuectl creates it)")
        case .file where type != S_IFREG:
            throw .storeUnavailable(
                "refusing \(what): it is not a regular file (a symbolic link or a device); remove it or choose another store")
        default:
            break
        }
        let user = geteuid()
        if status.st_uid != user {
            throw .storeUnavailable(
                "refusing \(what): it belongs to \(accountName(status.st_uid)), not to you (\(accountName(user))); "
                    + "another account could have planted jobs in it: use a data directory of your own, "
                    + "or, if you trust it, 'chown -R \(accountName(user)) \(shellQuoted(home ?? path))'")
        }
        if status.st_mode & 0o022 != 0 {
            let mode = String(status.st_mode & 0o7777, radix: 8)
            throw .storeUnavailable(
                "refusing \(what): other accounts can write to it (mode \(mode)) and could plant jobs or links in it; "
                    + "run 'chmod go-w \(shellQuoted(path))' if you trust its contents, or use a new data directory")
        }
    }

    /// A user's name, or `uid N` when it has none.
    private static func accountName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }

    /// `path` quoted for a shell command in a message, unless it needs no quotes.
    private static func shellQuoted(_ path: String) -> String {
        let plain = path.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+~".contains($0)) }
        return plain ? path : "'" + path.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
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
