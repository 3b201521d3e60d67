import CQueueSQLite

#if canImport(Glibc)
    import Glibc
#endif

/// Where the fast path finds the queue: the data directory and the SQLite database, resolved as `StoreResolver`
/// resolves them (`--home`, else `QUEUECTL_HOME`, else `$HOME/.queuectl`; `--db`, else `QUEUECTL_DB`, else
/// `<home>/queue.db`), and trusted on the terms of `QueueHome.checkOwnership`.
///
/// It declines every value whose meaning takes more than reading it as it is: a relative path, `.` or `..`
/// components, repeated or trailing slashes (which `URL` would standardise), a URL of any scheme (PostgreSQL
/// above all), and anything that looks like one. It also declines a home or database that fails or might fail
/// a check, so every refusal is worded by the full path.
struct FastPathStore {
    /// The data directory.
    let home: String
    /// The SQLite database file.
    let database: String

    /// Resolves the options and environment, and checks the home and the database as the full path does. The
    /// database must exist: without one, the full path answers from an empty scratch store, or creates one. For
    /// `writing`, the home and its `logs/` and `workers/` must exist too (the full path creates them).
    init(homeOption: String?, databaseOption: String?, writing: Bool) throws(FastPathDecline) {
        if let homeOption {
            home = try Self.plainPath(homeOption)
        } else if let variable = FastPathEnvironment.value("QUEUECTL_HOME") {
            home = try Self.plainPath(variable)
        } else if let user = FastPathEnvironment.value("HOME"), !user.isEmpty {
            home = try Self.plainPath(user == "/" ? "/.queuectl" : user + "/.queuectl")
        } else {
            throw FastPathDecline()
        }
        if let databaseOption {
            database = try Self.plainPath(databaseOption)
        } else if let variable = FastPathEnvironment.value("QUEUECTL_DB"), !variable.isEmpty {
            database = try Self.plainPath(variable)
        } else {
            database = home + "/queue.db"
        }
        try checkEntries()
        if writing {
            for directory in [home, home + "/logs", home + "/workers"] {
                var status = stat()
                guard stat(directory, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else { throw FastPathDecline() }
            }
        }
    }

    /// The home's `logs/` directory, where job logs are.
    var logsDirectory: String { home + "/logs" }

    /// `value` if it is an absolute path that `URL(fileURLWithPath:).standardizedFileURL.path` leaves as it is
    /// and that no store value parser would read as a URL.
    private static func plainPath(_ value: String) throws(FastPathDecline) -> String {
        let bytes = Array(value.utf8)
        guard bytes.count > 1, bytes[0] == UInt8(ascii: "/"), bytes.last != UInt8(ascii: "/") else { throw FastPathDecline() }
        for byte in bytes where byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "%") || byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: " ") {
            throw FastPathDecline()
        }
        for component in value.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst() {
            if component.isEmpty || component.elementsEqual(".".utf8) || component.elementsEqual("..".utf8) {
                throw FastPathDecline()
            }
        }
        return value
    }

    /// What an entry must be.
    private enum Kind {
        case directory, file
    }

    /// The checks of `QueueHome.checkOwnership` (and `checkDatabaseFile` for a database outside the home),
    /// declining wherever the full path would refuse, and when the database does not exist.
    private func checkEntries() throws(FastPathDecline) {
        var status = stat()
        // A missing home is fine (the full path reads it as empty of everything); a file in its path is not.
        guard stat(home, &status) == 0 || errno == ENOENT else { throw FastPathDecline() }
        try Self.check(home, kind: .directory, followLink: true)
        try Self.check(home + "/logs", kind: .directory, followLink: false)
        try Self.check(home + "/workers", kind: .directory, followLink: false)
        for suffix in ["", "-wal", "-shm"] {
            try Self.check(home + "/queue.db" + suffix, kind: .file, followLink: false)
        }
        if database != home + "/queue.db" {
            for suffix in ["", "-wal", "-shm"] {
                try Self.check(database + suffix, kind: .file, followLink: false)
            }
        }
        guard lstat(database, &status) == 0 else { throw FastPathDecline() }
    }

    /// Declines an entry that exists and is of the wrong type, belongs to another user, or is writable by
    /// group or others.
    private static func check(_ path: String, kind: Kind, followLink: Bool) throws(FastPathDecline) {
        var status = stat()
        guard (followLink ? stat(path, &status) : lstat(path, &status)) == 0 else {
            guard errno == ENOENT else { throw FastPathDecline() }
            return
        }
        let type = status.st_mode & S_IFMT
        guard type == (kind == .directory ? S_IFDIR : S_IFREG), status.st_uid == geteuid(), status.st_mode & 0o022 == 0
        else { throw FastPathDecline() }
    }

    /// Whether another process (a worker, another command) has the database's WAL index open, so this one's
    /// connection will use it as it is and read none of the WAL (`qc_sqlite_wal_index_in_use`). Asked before this
    /// process opens the database, as it must be.
    var walIndexInUse: Bool {
        qc_sqlite_wal_index_in_use(database + "-shm") == 1
    }

    /// The size of the database's WAL file in bytes (0 when there is none).
    var walSize: Int {
        var status = stat()
        guard stat(database + "-wal", &status) == 0 else { return 0 }
        return Int(status.st_size)
    }
}
