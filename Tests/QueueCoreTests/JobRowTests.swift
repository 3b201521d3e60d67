import Foundation
import QueueCore
import Testing

/// The one mapping of a stored row to a job, by column name.
@Suite("Job rows")
struct JobRowTests {
    /// A row as a dictionary keyed by column name.
    struct DictionaryRow: JobRow {
        var values: [JobColumn: Any] = [:]

        struct Missing: Error {}

        func read<Value>(_ column: JobColumn) throws -> Value {
            guard let value = values[column] as? Value else { throw Missing() }
            return value
        }
        func text(_ column: JobColumn) throws -> String { try read(column) }
        func optionalText(_ column: JobColumn) throws -> String? { values[column] as? String }
        func integer(_ column: JobColumn) throws -> Int64 { try read(column) }
        func optionalInteger(_ column: JobColumn) throws -> Int64? { values[column] as? Int64 }
        func flag(_ column: JobColumn) throws -> Bool { try read(column) }
        func exitCodes(_ column: JobColumn) throws -> [Int32] { try read(column) }
        func jobIDs(_ column: JobColumn) throws -> [JobID] { try read(column) }
    }

    static var full: DictionaryRow {
        DictionaryRow(values: [
            .id: "j1", .command: "echo hi", .maxRetries: Int64(3), .priority: Int64(-2), .runAt: Int64(1_000),
            .timeout: Int64(60), .queue: "mail", .state: "failed", .attempts: Int64(2), .exitCode: Int64(7),
            .lastError: "exited 7", .createdAt: Int64(500), .updatedAt: Int64(900), .startedAt: Int64(600),
            .finishedAt: Int64(800), .lastWorker: "w1", .timeoutFromConfig: true, .noRetryExitCodes: [Int32(64)],
            .snoozes: Int64(1), .after: [JobID(trusted: "build"), JobID(trusted: "test")],
        ])
    }

    @Test("every column lands in its field")
    func mapping() throws {
        let job = try Job(row: Self.full)
        #expect(job.id == JobID(trusted: "j1"))
        #expect(job.command == "echo hi")
        #expect(job.maxRetries == 3)
        #expect(job.priority == -2)
        #expect(job.runAt == Date(timeIntervalSince1970: 1))
        #expect(job.timeout == 60)
        #expect(job.queue == "mail")
        #expect(job.state == .failed)
        #expect(job.attempts == 2)
        #expect(job.exitCode == 7)
        #expect(job.lastError == "exited 7")
        #expect(job.createdAt == Date(timeIntervalSince1970: 0.5))
        #expect(job.updatedAt == Date(timeIntervalSince1970: 0.9))
        #expect(job.startedAt == Date(timeIntervalSince1970: 0.6))
        #expect(job.finishedAt == Date(timeIntervalSince1970: 0.8))
        #expect(job.worker == nil)
        #expect(job.lastWorker == "w1")
        #expect(job.timeoutFromConfig)
        #expect(job.noRetryExitCodes == [64])
        #expect(job.snoozes == 1)
        #expect(job.after == [JobID(trusted: "build"), JobID(trusted: "test")])
    }

    @Test("an unknown state or an unreadable row is one clear failure")
    func unreadable() {
        var unknown = Self.full
        unknown.values[.state] = "archived"
        #expect(throws: QueueError.operationFailed("queue database holds a job in unknown state 'archived'")) {
            try Job(row: unknown)
        }
        var missing = Self.full
        missing.values[.command] = nil
        #expect(throws: QueueError.self) { try Job(row: missing) }
    }

    @Test("the column lists come from one list; an enqueue writes all but last_worker and snoozes")
    func columns() {
        #expect(JobColumn.inserted.count == JobColumn.allCases.count - 2)
        #expect(!JobColumn.inserted.contains(.lastWorker) && !JobColumn.inserted.contains(.snoozes))
        #expect(JobColumn.list([.id, .runAt]) == "id, run_at")
        #expect(JobColumn.list([.id, .runAt], qualifiedBy: "j") == "j.id, j.run_at")
    }
}
