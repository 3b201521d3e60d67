import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Migration 023 (SQLite only): `queuectl_job_finished` rebuilt with its condition written without a list of three
/// states. Finished jobs written before it are in the rebuilt index, jobs that finish after it enter it, and purge
/// and retention (which name the index, `INDEXED BY`, and fail if their condition is not the index's) find them.
@Suite("Migration 023, the finished index without a list")
struct FinishedIndexMigrationTests {
    private let backend = TestBackend.sqlite

    @Test("finished jobs written before migration 023 and runs ended after it are purged by state and age, and it can be undone and redone")
    func finishedJobsArePurged() async throws {
        let directory = try TempDirectory()
        let url = try await backend.makeDatabaseURL(in: directory)
        let old = testEpoch.addingTimeInterval(-7200)
        try await backend.openStore(url).enqueue([
            makeFinishedJob("old-done", finishedAt: old), makeFinishedJob("old-dead", state: .dead, finishedAt: old),
            makeFinishedJob("old-cancelled", state: .cancelled, finishedAt: old),
            makeFinishedJob("new-done", finishedAt: testEpoch), makeJob("ran-after", createdAt: old),
        ])
        try await backend.rollBack(url, to: 22)

        let after = try #require(try await backend.openStore(url) as? any JobControlStore)
        // A run that ends after the migration enters the rebuilt index with its end.
        let job = try #require(try await after.claimJobs(registering: ["w1"], now: old).first)
        let result = RunResult(job: job, outcome: .succeeded, policy: RetryPolicy(base: 2, maximum: 60), now: old)
        #expect(try await after.recordResult(result, of: try #require(JobClaim(job))))
        let now = testEpoch.addingTimeInterval(60)
        let everyFinished = try PurgeSelection(states: [.completed, .dead, .cancelled], olderThan: 3600)
        #expect(
            Set(try await after.purgeableJobIDs(everyFinished, now: now).map(\.rawValue))
                == ["old-done", "old-dead", "old-cancelled", "ran-after"])

        // The undo puts back 011's index, which the statements' condition does not match: the purge below fails
        // unless the reopen applied 023 again.
        try await backend.rollBack(url, to: 22)
        let again = try #require(try await backend.openStore(url) as? any JobControlStore)
        let completed = try PurgeSelection(states: [.completed], olderThan: 3600)
        #expect(Set(try await again.purgeJobs(completed, now: now, limit: 100).map(\.rawValue)) == ["old-done", "ran-after"])
        #expect(try await again.jobs(JobFilter()).map(\.id.rawValue) == ["old-dead", "old-cancelled", "new-done"])
    }
}
