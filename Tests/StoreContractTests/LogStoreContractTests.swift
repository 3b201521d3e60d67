import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `JobLogStore`, the power of a store shared by several hosts to keep the jobs' output: PostgreSQL has it
/// (SQLite's users share one host and read the log files).
@Suite("Stored job logs", .enabled(if: TestBackend.all.contains(.postgres)))
struct LogStoreContractTests {
    private func openLogStore() async throws -> (any JobLogStore, TempDirectory) {
        let directory = try TempDirectory()
        let store = try await TestBackend.postgres.makeStore(in: directory)
        return (try #require(store as? any JobLogStore, "the PostgreSQL store keeps logs"), directory)
    }

    @Test("appended chunks read back whole, from an offset and as a tail")
    func readBack() async throws {
        let (logs, directory) = try await openLogStore()
        defer { withExtendedLifetime(directory) {} }
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
        let (logs, directory) = try await openLogStore()
        defer { withExtendedLifetime(directory) {} }
        let bytes: [UInt8] = [0, 0xff, 0xfe, 0x0a, 0x80, 0x41]
        try await logs.appendLog(bytes, to: JobID(trusted: "b"))
        #expect(try await logs.log(of: JobID(trusted: "b"), .from(0)).bytes == bytes)
    }
}
