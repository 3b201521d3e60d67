import CQueueSQLite
import Foundation
import QueueCore
import QueueStoreSQLite
import QueueTestSupport
import Testing

/// A SQLite store's process writes each WAL frame with one write call, not two (`SQLiteProcessSettings`,
/// `wal_writes.c`), and what it committed is in the file when the commit returns: another connection reads it at
/// once. Run in a child process of its own, where the store is the first to start SQLite
/// (as in a worker daemon) and where `/proc/self/io` counts this test's writes only.
@Suite("SQLite WAL writes")
struct SQLiteWALWriteTests {
    @Test("a WAL frame takes one write call, and another connection reads the frames as committed")
    func framesAreGathered() async {
        _ = await #expect(processExitsWith: .success) {
            let directory = try TempDirectory()
            let path = directory.file("queue.db")
            let store = try SQLiteJobStore(path: path, durability: .deferred)
            try await store.enqueue([makeJob("first")])
            let wal = path + "-wal"
            // Commands of 1,500 bytes, a page each: a transaction of about 60 frames. Three rounds stay below the sizes
            // that make SQLite checkpoint (and write pages into the database).
            let command = "echo " + String(repeating: "x", count: 1_495)
            for round in 0..<3 {
                let walBefore = try fileSize(wal)
                let writesBefore = try writeCalls()
                try await store.enqueue((0..<50).map { makeJob("r\(round)-\($0)", command: command) })
                let writes = try writeCalls() - writesBefore
                let frames = (try fileSize(wal) - walBefore) / (2_048 + 24)
                // Two calls a frame without pairing (header, then page); here one (and a few for anything else).
                #expect(frames >= 50, "round \(round): \(frames) frames")
                #expect(writes <= frames + 3, "round \(round): \(writes) write calls for \(frames) frames")
                // A store of its own opens its own connections and file handles: it finds the jobs at once.
                let reader = try SQLiteJobStore(path: path, durability: .deferred)
                #expect(try await reader.job(JobID(trusted: "r\(round)-49"))?.command == command)
                #expect(try await reader.counts(now: testEpoch, leaseTimeout: 60).pending == 1 + 50 * (round + 1))
                await reader.close()
            }
            // A worker's transaction: a call per frame.
            let claim = try #require(try await store.claimJobs(registering: ["w1"], now: testEpoch).first.flatMap(JobClaim.init))
            let walBefore = try fileSize(wal)
            let writesBefore = try writeCalls()
            let done = RunResult(disposition: .completed, exitCode: 0, lastError: nil, finishedAt: testEpoch)
            #expect(try await store.recordResult(done, of: claim))
            let frames = (try fileSize(wal) - walBefore) / (2_048 + 24)
            #expect(frames >= 3)
            #expect(try writeCalls() - writesBefore == frames)
            await store.close()
        }
    }
}

/// The write calls this process made (`syscw` of `/proc/self/io`).
private func writeCalls() throws -> Int {
    let text = try String(contentsOfFile: "/proc/self/io", encoding: .utf8)
    let line = text.split(separator: "\n").first { $0.hasPrefix("syscw:") }
    return line.flatMap { Int($0.dropFirst("syscw:".count).trimmingCharacters(in: .whitespaces)) } ?? -1
}

private func fileSize(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
}

/// The cases where holding a WAL write back would lose or corrupt committed data (found in review of a first
/// version that gathered a whole transaction's frames): the file must hold every byte SQLite wrote whenever SQLite
/// does anything else. Raw SQLite connections with the pairing VFS, in a child process of their own.
@Suite("SQLite WAL writes, SQLite's unusual paths")
struct SQLiteWALPairingEdgeTests {
    @Test("a spilled transaction rolled back leaves nothing behind that could land over another writer's frames")
    func spillThenRollback() async {
        _ = await #expect(processExitsWith: .success) {
            let directory = try TempDirectory()
            let path = directory.file("spill.db")
            let a = try RawConnection.newWALDatabase(path, synchronous: "FULL")
            try a.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB); CREATE TABLE u (id INTEGER PRIMARY KEY, v BLOB)")
            try a.execute("\(RawConnection.series(200)) INSERT INTO t SELECT value, randomblob(500) FROM s")
            let b = try RawConnection(path)
            try a.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            // A cache of five pages: the transaction spills its frames into the WAL before it rolls back.
            try a.execute("PRAGMA cache_size = 5; BEGIN")
            try a.execute("\(RawConnection.series(200)) INSERT INTO u SELECT value, randomblob(1500) FROM s")
            try a.execute("ROLLBACK")
            // Another writer's frames go where the rolled-back ones were.
            try b.execute("\(RawConnection.series(200)) INSERT INTO t SELECT value + 1000, randomblob(1500) FROM s")
            a.close()
            let c = try RawConnection(path)
            #expect(try c.integer("SELECT count(*) FROM t") == 400)
            #expect(try c.text("PRAGMA integrity_check") == "ok")
        }
    }

    @Test("a commit whose frame checksums SQLite rewrote is whole in the file when it returns, as a crash would find it")
    func rewrittenChecksums() async {
        _ = await #expect(processExitsWith: .success) {
            let directory = try TempDirectory()
            let path = directory.file("recksum.db")
            let a = try RawConnection.newWALDatabase(path, synchronous: "NORMAL")
            try a.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB); INSERT INTO t VALUES (0, x'00')")
            try a.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            // Spilled pages written again before the commit: SQLite rewrites the frames' checksums in place.
            try a.execute("PRAGMA cache_size = 5; BEGIN")
            try a.execute("\(RawConnection.series(300)) INSERT INTO t SELECT value, randomblob(1500) FROM s")
            try a.execute("UPDATE t SET v = randomblob(1500) WHERE id IN (1, 2, 3, 100, 200)")
            try a.execute("COMMIT")
            // What a crash right now would leave: the database and its WAL as they are on disk, without the
            // wal-index, so opening the copy recovers the WAL from its frames and their checksums.
            let copy = directory.file("copy.db")
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            try FileManager.default.copyItem(atPath: path + "-wal", toPath: copy + "-wal")
            let recovered = try RawConnection(copy)
            #expect(try recovered.integer("SELECT count(*) FROM t") == 301)
            #expect(try recovered.text("PRAGMA integrity_check") == "ok")
            a.close()
        }
    }

    @Test("without power-safe overwrites (psow=0), a padded commit whose page SQLite splits around its sync is read whole")
    func paddedCommitSplitAtSync() async {
        _ = await #expect(processExitsWith: .success) {
            let directory = try TempDirectory()
            let uri = "file:" + directory.file("padded.db") + "?psow=0"
            let a = try RawConnection.newWALDatabase(uri, synchronous: "NORMAL")
            try a.execute("PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)")
            try a.execute("CREATE TABLE f (id INTEGER PRIMARY KEY, v BLOB); INSERT INTO t VALUES (1, randomblob(200))")
            // Old frames past where the next ones go: a byte left unwritten there reads as something else.
            try a.execute("\(RawConnection.series(150)) INSERT INTO f SELECT value, randomblob(1500) FROM s")
            try a.execute("PRAGMA wal_checkpoint(RESTART)")
            // Commits without a sync (no padding), two frames each, until the WAL holds 82 frames. Then a synced
            // commit: frames 83 and 84, then padding to the 4 KiB boundary inside frame 85, whose page SQLite writes
            // in two pieces around the sync, the last one 24 bytes long.
            let frames = a.framesAfterEachCommit()
            var commits = 0
            while frames.pointee != 82 {
                commits += 1
                #expect(commits < 100, "the WAL never held 82 frames (\(frames.pointee))")
                if commits >= 100 { return }
                try a.execute("UPDATE t SET v = randomblob(200) WHERE id = 1")
            }
            try a.execute("PRAGMA synchronous = FULL; UPDATE t SET v = randomblob(200) WHERE id = 1")
            #expect(frames.pointee == 85)
            let written = try a.text("SELECT hex(v) FROM t WHERE id = 1")
            let b = try RawConnection(uri)
            #expect(try b.text("SELECT hex(v) FROM t WHERE id = 1") == written)
            #expect(try b.text("PRAGMA integrity_check") == "ok")
        }
    }
}

/// A connection through SQLite's C API, with the process's default VFS.
private final class RawConnection {
    private var handle: OpaquePointer?

    init(_ path: String) throws {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK else { throw RawError(message: "open \(path)") }
    }

    /// A new database at `location` (a path or a `file:` URI) in WAL mode with 2,048-byte pages and `synchronous`,
    /// opened once the pairing VFS is the process's default.
    static func newWALDatabase(_ location: String, synchronous: String) throws -> RawConnection {
        guard qc_sqlite_pair_wal_frame_writes() == SQLITE_OK else { throw RawError(message: "the pairing VFS") }
        let connection = try RawConnection(location)
        try connection.execute("PRAGMA page_size = 2048; PRAGMA journal_mode = WAL; PRAGMA synchronous = \(synchronous)")
        return connection
    }

    /// `WITH RECURSIVE s(value)` counting 1 to `count`, to put before a statement.
    static func series(_ count: Int) -> String {
        "WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s WHERE value < \(count))"
    }

    func execute(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw RawError(message: lastError(sql)) }
    }

    func integer(_ sql: String) throws -> Int64 {
        try step(sql) { sqlite3_column_int64($0, 0) }
    }

    func text(_ sql: String) throws -> String {
        try step(sql) { statement in sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? "" }
    }

    func close() {
        sqlite3_close(handle)
        handle = nil
    }

    /// Where SQLite puts the number of frames in the WAL after each commit (`sqlite3_wal_hook`; set after any
    /// `wal_autocheckpoint`, which replaces the hook). Lives as long as the process.
    func framesAfterEachCommit() -> UnsafeMutablePointer<Int32> {
        let frames = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        frames.initialize(to: 0)
        sqlite3_wal_hook(handle, { context, _, _, count in
            context?.assumingMemoryBound(to: Int32.self).pointee = count
            return SQLITE_OK
        }, frames)
        return frames
    }

    deinit {
        if handle != nil { sqlite3_close(handle) }
    }

    private func step<Value>(_ sql: String, _ read: (OpaquePointer) -> Value) throws -> Value {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw RawError(message: lastError(sql))
        }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { throw RawError(message: lastError(sql)) }
        return read(statement)
    }

    private func lastError(_ sql: String) -> String {
        "\(sql): " + (sqlite3_errmsg(handle).map { String(cString: $0) } ?? "unknown error")
    }
}

private struct RawError: Error {
    let message: String
}
