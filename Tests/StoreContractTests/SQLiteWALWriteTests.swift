import Foundation
import QueueCore
import QueueStoreSQLite
import QueueTestSupport
import Testing

/// A SQLite store's process writes each transaction's WAL frames with one write call, not two per frame
/// (`SQLiteProcessSettings`, `wal_writes.c`), and what it committed is in the file when the commit returns: another
/// connection reads it at once. Run in a child process of its own, where the store is the first to start SQLite
/// (as in a worker daemon) and where `/proc/self/io` counts this test's writes only.
@Suite("SQLite WAL writes")
struct SQLiteWALWriteTests {
    @Test("a transaction's WAL frames take a write call per 64 KiB, and another connection reads them as committed")
    func framesAreGathered() async {
        _ = await #expect(processExitsWith: .success) {
            let directory = try TempDirectory()
            let path = directory.file("queue.db")
            let store = try SQLiteJobStore(path: path, durability: .deferred)
            try await store.enqueue([makeJob("first")])
            let wal = path + "-wal"
            // Commands of 1,500 bytes, a page each: a transaction of about 60 frames, twice what one write gathers.
            // Three rounds stay below the sizes that make SQLite checkpoint (and write pages into the database).
            let command = "echo " + String(repeating: "x", count: 1_495)
            for round in 0..<3 {
                let walBefore = try fileSize(wal)
                let writesBefore = try writeCalls()
                try await store.enqueue((0..<50).map { makeJob("r\(round)-\($0)", command: command) })
                let writes = try writeCalls() - writesBefore
                let frames = (try fileSize(wal) - walBefore) / (2_048 + 24)
                // Two calls a frame without gathering; here one per 64 KiB of frames (and a few for anything else).
                #expect(frames >= 50, "round \(round): \(frames) frames")
                #expect(writes * 8 < frames, "round \(round): \(writes) write calls for \(frames) frames")
                // A store of its own opens its own connections and file handles: it finds the jobs at once.
                let reader = try SQLiteJobStore(path: path, durability: .deferred)
                #expect(try await reader.job(JobID(trusted: "r\(round)-49"))?.command == command)
                #expect(try await reader.counts(now: testEpoch, leaseTimeout: 60).pending == 1 + 50 * (round + 1))
                await reader.close()
            }
            // A worker's transaction, fewer frames than one write gathers: one call.
            let claim = try #require(try await store.claimJobs(registering: ["w1"], now: testEpoch).first.flatMap(JobClaim.init))
            let writesBefore = try writeCalls()
            let done = RunResult(disposition: .completed, exitCode: 0, lastError: nil, finishedAt: testEpoch)
            #expect(try await store.recordResult(done, of: claim))
            #expect(try writeCalls() - writesBefore == 1)
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
