import Foundation
import QueueCore
import QueueStoreSQLite
import QueueTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The SQLite store's page caches take memory a page at a time (`SQLiteProcessSettings`): a claim's temporary tables
/// then reuse the heap's memory instead of faulting fresh pages in at every statement. Run in a child process of
/// its own, where the store is the first to start SQLite, as in a worker daemon.
@Suite("SQLite page cache")
struct SQLitePageCacheTests {
    @Test("claims around paused queues fault little fresh memory in, claim after claim")
    func claimsReuseMemory() async {
        _ = await #expect(processExitsWith: .success) {
            let directory = try TempDirectory()
            let store = try SQLiteJobStore(path: directory.file("queue.db"), durability: .deferred)
            let paused = (0..<10).map { "paused\($0)" }
            let queues = try #require(store as (any JobStore) as? any QueueControlStore)
            _ = try await queues.setPaused(true, queues: .named(paused), now: testEpoch)
            try await store.enqueue(
                paused.flatMap { queue in (0..<20).map { makeJob("\(queue)-\($0)", priority: 5, queue: queue) } }
                    + [makeJob("open")])
            let now = testEpoch.addingTimeInterval(1)
            // The same job claimed and put back: each claim runs the statement that walks around the paused queues.
            func claimAndRelease() async throws {
                let claimed = try await store.claimJobs(registering: ["w1", "w2"], now: now)
                #expect(claimed.map(\.id.rawValue) == ["open"])
                let claim = try #require(claimed.first.flatMap(JobClaim.init))
                #expect(try await store.releaseJob(claim, now: now))
            }
            for _ in 0..<20 { try await claimAndRelease() }
            var before = rusage()
            getrusage(RUSAGE_SELF.rawValue, &before)
            let rounds = 50
            for _ in 0..<rounds { try await claimAndRelease() }
            var after = rusage()
            getrusage(RUSAGE_SELF.rawValue, &after)
            // With SQLite's default (a 20-page block per page cache, so per temporary table) a round faulted about
            // 660 pages in; a page at a time, about 35 (other allocations than SQLite's page caches).
            let faultsPerRound = Double(after.ru_minflt - before.ru_minflt) / Double(rounds)
            #expect(faultsPerRound < 150, "\(faultsPerRound) page faults per claim and release")
        }
    }
}
