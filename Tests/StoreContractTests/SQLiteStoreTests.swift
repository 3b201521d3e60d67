import Foundation
import QueueCore
import QueueStoreSQLite
import QueueTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What only the SQLite store does: its file, its errors, and its socket wake-ups.
@Suite("SQLite store")
struct SQLiteStoreTests {
    @Test("a new database file is readable and writable by its owner only")
    func fileMode() throws {
        let directory = try TempDirectory()
        let path = directory.file("queue.db")
        _ = try SQLiteJobStore(path: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test("a new database has 2,048-byte pages; one created before keeps its pages and works as before")
    func pageSize() async throws {
        let directory = try TempDirectory()
        let path = directory.file("queue.db")
        let store = try SQLiteJobStore(path: path)
        try await store.enqueue([makeJob("new")])
        #expect(try SQLiteSchema.pageSize(ofDatabaseAt: path) == 2048)

        let olderPath = directory.file("older.db")
        try SQLiteSchema.createDatabase(at: olderPath, pageSize: 4096)
        let older = try SQLiteJobStore(path: olderPath)
        try await older.enqueue([makeJob("old")])
        let claimed = try await older.claimJobs(registering: ["w"], now: testEpoch)
        #expect(claimed.map(\.id.rawValue) == ["old"])
        #expect(try SQLiteSchema.pageSize(ofDatabaseAt: olderPath) == 4096)
    }

    @Test("the write-ahead log outlives the last connection, so the next command only appends to it")
    func walKept() async throws {
        let directory = try TempDirectory()
        let path = directory.file("queue.db")
        do {
            let store = try SQLiteJobStore(path: path)
            try await store.enqueue([makeJob("kept")])
        }
        let wal = try FileManager.default.attributesOfItem(atPath: path + "-wal")
        #expect(((wal[.size] as? NSNumber)?.intValue ?? 0) > 0, "not checkpointed and truncated on close")
        #expect(try await SQLiteJobStore(path: path).job(JobID(trusted: "kept"))?.state == .pending)
    }

    @Test("closing after a large write checkpoints the write-ahead log and truncates it")
    func largeWALTruncated() async throws {
        let directory = try TempDirectory()
        let path = directory.file("queue.db")
        let store = try SQLiteJobStore(path: path)
        try await store.enqueue(makeJobs(20_000, prefix: "bulk"))
        func walSize() throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.intValue ?? -1
        }
        #expect(try walSize() > SQLiteJobStore.walTruncationThreshold)
        await store.close()
        #expect(try walSize() == 0)
        #expect(try await store.counts(now: testEpoch).pending == 20_000)
    }

    @Test("a file that is not a database is refused with one line naming it")
    func notADatabase() throws {
        let directory = try TempDirectory()
        let path = directory.file("queue.db")
        try Data(String(repeating: "this is not sqlite\n", count: 300).utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: QueueError.storeUnavailable("cannot open queue database '\(path)': file is not a database")) {
            try SQLiteJobStore(path: path)
        }
    }

    @Test("a database in a missing directory is refused with a message naming the directory")
    func missingDirectory() throws {
        let directory = try TempDirectory()
        let path = directory.file("absent/queue.db")
        #expect(
            throws: QueueError.storeUnavailable(
                "cannot open queue database '\(path)': the directory '\(directory.file("absent"))' does not exist")
        ) { try SQLiteJobStore(path: path) }
        #expect(!FileManager.default.fileExists(atPath: directory.file("absent")))
    }

    @Test("many processes opening a fresh file at once all find the schema ready")
    func concurrentFirstOpen() async throws {
        let directory = try TempDirectory()
        let path = directory.file("queue.db")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let store = try SQLiteJobStore(path: path)
                    try await store.enqueue([makeJob("open-\(index)")])
                }
            }
            try await group.waitForAll()
        }
        #expect(try await SQLiteJobStore(path: path).counts(now: testEpoch).pending == 8)
    }

    @Test("a listener's socket sits beside the database and is removed when its stream ends")
    func socketLifecycle() async throws {
        let directory = try TempDirectory()
        let path = directory.file("queue.db")
        let store = try SQLiteJobStore(path: path)
        let wakeDirectory = path + ".wake"
        func sockets() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: wakeDirectory)) ?? []).filter { $0.hasSuffix(".sock") }
        }
        let listener = Task {
            for await _ in store.wakeups() {}
        }
        #expect(try await eventually { sockets().count == 1 })
        let attributes = try FileManager.default.attributesOfItem(atPath: wakeDirectory)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        listener.cancel()
        #expect(try await eventually { sockets().isEmpty })
    }

    @Test("a socket left behind by a dead listener is removed by the next notification")
    func staleSocket() async throws {
        let directory = try TempDirectory()
        let path = directory.file("queue.db")
        let store = try SQLiteJobStore(path: path)
        let wakeDirectory = path + ".wake"
        try FileManager.default.createDirectory(atPath: wakeDirectory, withIntermediateDirectories: true)
        let stale = wakeDirectory + "/99999-1.sock"
        // Bind a socket and close it without unlinking, as a killed process would leave it.
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(stale.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(fd)
        #expect(bound == 0)
        #expect(FileManager.default.fileExists(atPath: stale))

        try await store.enqueue([makeJob("after-crash")])
        #expect(!FileManager.default.fileExists(atPath: stale))
    }
}
