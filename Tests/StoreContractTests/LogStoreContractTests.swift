import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `JobLogStore`, the power of a store shared by several hosts to keep the jobs' output: PostgreSQL has it
/// (SQLite's users share one host and read the log files).
@Suite("Stored job logs", .storeScope, .enabled(if: TestBackend.all.contains(.postgres)))
struct LogStoreContractTests {
    private func openLogStore() async throws -> any JobLogStore {
        try await openStores().logs
    }

    private func openStores() async throws -> (store: any JobStore, logs: any JobLogStore) {
        let store = try await TestBackend.postgres.scopedStore()
        return (store, try #require(store as? any JobLogStore, "the PostgreSQL store keeps logs"))
    }

    @Test("a result's log tail is appended to the stored log in the same write, even when the result is stale")
    func logTailWithResult() async throws {
        let (store, logs) = try await openStores()
        try await store.enqueue(makeJobs(1))
        let job = try #require(try await store.claimJobs(registering: ["w1"], now: testEpoch).first)
        let claim = try #require(JobClaim(job))
        try await logs.appendLog(Array("--- attempt 1 ---\n".utf8), to: job.id)
        var result = RunResult(job: job, outcome: .succeeded, policy: RetryPolicy(base: 2, maximum: 60), now: testEpoch)
        result.logTail = Array("done\n".utf8)
        #expect(try await store.recordResult(result, of: claim))
        #expect(try await store.job(job.id)?.state == .completed)
        #expect(try await logs.log(of: job.id, .from(0)).bytes == Array("--- attempt 1 ---\ndone\n".utf8))

        // A stale run (its job recovered meanwhile) wrote that output all the same; it is kept, the result is not.
        result.logTail = Array("late\n".utf8)
        #expect(try await store.recordResult(result, of: claim) == false)
        #expect(try await logs.log(of: job.id, .tail(5)).bytes == Array("late\n".utf8))

        // No tail, nothing appended.
        result.logTail = []
        #expect(try await store.recordResult(result, of: claim) == false)
        #expect(try await logs.log(of: job.id, .from(0)).size == 28)
    }

    @Test("appended chunks read back whole, from an offset and as a tail")
    func readBack() async throws {
        let logs = try await openLogStore()
        let id = JobID(trusted: "j")
        #expect(try await logs.log(of: id, .from(0)) == LogSlice(bytes: [], offset: 0, size: 0))
        try await logs.appendLog(Array("hello ".utf8), to: id)
        try await logs.appendLog(Array("world\n".utf8), to: id)
        try await logs.appendLog(Array("another job".utf8), to: JobID(trusted: "k"))

        let whole = Array("hello world\n".utf8)
        #expect(try await logs.log(of: id, .from(0)) == LogSlice(bytes: whole, offset: 0, size: 12))
        #expect(try await logs.log(of: id, .from(8)) == LogSlice(bytes: Array("rld\n".utf8), offset: 8, size: 12))
        #expect(try await logs.log(of: id, .from(12)) == LogSlice(bytes: [], offset: 12, size: 12))
        #expect(try await logs.log(of: id, .from(40)) == LogSlice(bytes: [], offset: 12, size: 12))
        #expect(try await logs.log(of: id, .tail(4)) == LogSlice(bytes: Array("rld\n".utf8), offset: 8, size: 12))
        #expect(try await logs.log(of: id, .tail(100)) == LogSlice(bytes: whole, offset: 0, size: 12))
    }

    @Test("any bytes survive the round trip, invalid UTF-8 and NUL included")
    func binary() async throws {
        let logs = try await openLogStore()
        let bytes: [UInt8] = [0, 0xff, 0xfe, 0x0a, 0x80, 0x41]
        try await logs.appendLog(bytes, to: JobID(trusted: "b"))
        #expect(try await logs.log(of: JobID(trusted: "b"), .from(0)).bytes == bytes)
    }
}
