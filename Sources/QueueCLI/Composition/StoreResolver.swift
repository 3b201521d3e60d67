import Foundation
import QueueCore
import QueueStoreSQLite

/// The composition root: turns `--home`/`--db` (or `QUEUECTL_HOME`/`QUEUECTL_DB`) into the data
/// directory and an open `JobStore`. It opens `SQLiteJobStore` itself and asks the `ServerHalf` for a
/// PostgreSQL store: with `LinkedServerHalf` these are the only places that know the concrete store types
/// (closing goes through `JobStore.close()`).
public struct StoreResolver: Sendable {
    /// The data directory (logs, worker files, and the default database).
    public let home: QueueHome
    /// The store to open.
    public let location: StoreLocation
    /// `QUEUECTL_DB_PASSWORD_FILE`: where a PostgreSQL URL without a password finds it.
    public let passwordFile: String?
    /// Opens PostgreSQL stores.
    public let serverHalf: any ServerHalf

    /// Resolves the options: `database` (else `QUEUECTL_DB`, else `<home>/queue.db`) and `home`
    /// (else `QUEUECTL_HOME`, else `~/.queuectl`). An unknown URL scheme or an empty home is a usage error.
    public init(
        home: String?, database: String?, environment: [String: String], serverHalf: any ServerHalf
    ) throws(QueueError) {
        self.home = try QueueHome(option: home, environment: environment)
        location =
            try StoreLocation(option: database, environment: environment) ?? .sqlite(path: self.home.databasePath)
        self.serverHalf = serverHalf
        passwordFile = environment[DatabasePasswordFile.variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Who opens the store, which decides whether anything may be created and how durable each SQLite
    /// commit is made before it returns.
    public enum Purpose: Sendable {
        /// A user command: every write (an enqueue above all) is fsynced before the command returns.
        case command
        /// A command that only reads (`status`, `list`, `show`, …): it creates no data directory and no
        /// database; where there is none it answers as for an empty queue.
        case read
        /// A worker daemon: run transitions are not fsynced one by one (see `SQLiteJobStore.Durability.deferred`).
        case worker
    }

    /// The PostgreSQL URL to connect with: `text`, with the password from `QUEUECTL_DB_PASSWORD_FILE` when the
    /// URL carries none.
    public func postgresURL(_ text: String) throws(QueueError) -> PostgresURL {
        var url = try PostgresURL(parsing: text)
        if url.password == nil, let passwordFile {
            url.password = try DatabasePasswordFile.read(passwordFile)
        }
        return url
    }

    /// The environment every job of a worker started from `base` gets, and the one `worker start` hands its
    /// daemon: `base` with `QUEUECTL_HOME` naming this home and `QUEUECTL_DB` this store, so that a job can run
    /// `queuectl` on its own queue, but without any password: a PostgreSQL URL goes in without it, and
    /// `QUEUECTL_DB_PASSWORD_FILE` names a private file holding it (the one given, else
    /// `<home>/workers/db-password-<hash of the URL>`, written here with mode 0600). `QUEUECTL_DASHBOARD_TOKEN`
    /// is left out: a job has no business with the dashboard's token.
    public func jobEnvironment(base: [String: String]) throws(QueueError) -> [String: String] {
        var environment = base
        environment["QUEUECTL_DASHBOARD_TOKEN"] = nil
        environment[DatabasePasswordFile.variable] = nil
        environment["QUEUECTL_HOME"] = home.root.path
        switch location {
        case .sqlite(let path):
            environment["QUEUECTL_DB"] = path
        case .postgres(let text):
            var url = try postgresURL(text)
            if let password = url.password {
                url.password = nil
                let file: String
                if let passwordFile, (try? PostgresURL(parsing: text))?.password == nil {
                    file = passwordFile
                } else {
                    try home.prepare()
                    file = home.workersDirectory + "/db-password-" + Self.fingerprint(url.connectionString)
                    try DatabasePasswordFile.save(password, at: file)
                }
                environment[DatabasePasswordFile.variable] = file
            }
            environment["QUEUECTL_DB"] = url.connectionString
        }
        return environment
    }

    /// 16 hex digits of FNV-1a over `text`: a stable file name per store (one password file per URL).
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Checks the data directory and creates it (0700) with its `logs/` and `workers/` subdirectories, then opens
    /// the store. For `.read` nothing is created: a missing SQLite database is answered by an empty scratch store
    /// outside the home, whose directory is returned so that it can be removed afterwards.
    private func open(for purpose: Purpose) async throws -> (store: any JobStore, scratch: String?) {
        if purpose == .read {
            try home.checkOwnership()
        } else {
            try home.prepare()
        }
        switch location {
        case .sqlite(let path):
            try QueueHome.checkDatabaseFile(path)
            if purpose == .read, !FileManager.default.fileExists(atPath: path) {
                let scratch = try Self.scratchDirectory()
                do {
                    return (try SQLiteJobStore(path: scratch + "/queue.db"), scratch)
                } catch {
                    try? FileManager.default.removeItem(atPath: scratch)
                    throw error
                }
            }
            return (try SQLiteJobStore(path: path, durability: purpose == .worker ? .deferred : .synced), nil)
        case .postgres(let text):
            return (try await serverHalf.openPostgresStore(url: try postgresURL(text)), nil)
        }
    }

    /// A fresh private directory under the system's temporary directory.
    private static func scratchDirectory() throws(QueueError) -> String {
        var template = Array((NSTemporaryDirectory() + "/queuectl-empty-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let made else {
            throw .operationFailed("cannot make a scratch directory: \(String(cString: strerror(errno)))")
        }
        return made
    }

    /// Opens the store, runs `body` with it, and releases it afterwards (also when `body` throws).
    public func withStore<Result: Sendable>(
        for purpose: Purpose = .command, _ body: (any JobStore) async throws -> Result
    ) async throws -> Result {
        let (store, scratch) = try await open(for: purpose)
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}
