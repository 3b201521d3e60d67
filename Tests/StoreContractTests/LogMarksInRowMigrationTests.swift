import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// SQLite's migration 022: silent runs' lines kept in the job's row. Lines an older queuectl kept in
/// `queuectl_log_mark` are still shown, before the ones written after the upgrade, each where it ran.
@Suite("Migration 022, log marks in the job's row", .storeScope)
struct LogMarksInRowMigrationTests {
    @Test("silent runs kept before migration 022 are read back with the output and the silent runs after it, in order")
    func oldMarksSurvive() async throws {
        let backend = TestBackend.sqlite
        let url = try await backend.scopedDatabaseURL()
        let before = try await backend.openScopedStore(url)
        try await before.enqueue([makeJob("old", maxRetries: 5)])
        try await backend.rollBack(url, to: 20)
        // What queuectl at migration 020 wrote: a silent first run, then a second run that printed (its file).
        let first = "--- attempt 1 · t1 · worker w1 ---\n--- end of attempt 1 · exited with code 1 · t2 ---\n"
        let second = "--- attempt 2 · t3 · worker w2 ---\nout\n--- end of attempt 2 · exited with code 1 · t4 ---\n"
        try await backend.execute(
            rawSQL: [
                "INSERT INTO queuectl_log_mark (job_id, file_offset, bytes) VALUES ('old', 0, CAST('\(first)' AS BLOB))",
                "UPDATE queuectl_job SET attempts = 2, state = 'failed', started_at = 1800000000000 WHERE id = 'old'",
            ], on: url)
        let home = QueueHome(root: URL(fileURLWithPath: try StoreScope.context().directory.file("home")))
        try home.prepare()
        let id = JobID(trusted: "old")
        let after = try await backend.openScopedStore(url)
        try await writeJobLog(second, of: id, store: after, home: home)

        let job = try #require(try await after.claimJobs(registering: ["w3"], now: testEpoch.addingTimeInterval(100)).first)
        #expect(job.attempts == 3)
        var result = RunResult(job: job, outcome: .succeeded, policy: RetryPolicy(base: 2, maximum: 60), now: testEpoch.addingTimeInterval(100))
        let third = "--- attempt 3 · t5 · worker w3 ---\n--- end of attempt 3 · exited with code 0 · t6 ---\n"
        result.silentRunLog = LogMark(fileOffset: second.utf8.count, bytes: Array(third.utf8))
        #expect(try await after.recordResult(result, of: try #require(JobClaim(job))))

        let log = JobLog(store: after, home: home)
        #expect(String(decoding: try await log.read(id, .from(0)).bytes, as: UTF8.self) == first + second + third)
        #expect(String(decoding: try await log.read(id, .from(first.utf8.count + 4)).bytes, as: UTF8.self)
            == String((first + second + third).utf8.dropFirst(first.utf8.count + 4))!)
    }
}
