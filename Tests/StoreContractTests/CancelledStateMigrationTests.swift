import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Migration 010: the `cancelled` state (SQLite rebuilds its job table for the new CHECK; PostgreSQL replaces
/// the state domain's check) keeps every job of a queue written before it, in order and counted.
@Suite("Migration 010, the cancelled state", .storeScope)
struct CancelledStateMigrationTests {
    @Test("jobs written before migration 010 keep their order, states and counts, and can be cancelled", arguments: TestBackend.all)
    func jobsSurvive(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        let before = try await backend.openScopedStore(url)
        try await before.enqueue([makeJob("c"), makeJob("a"), makeJob("b")])
        let first = try #require(try await before.claimJobs(registering: ["w1"], now: testEpoch).first)
        let done = RunResult(job: first, outcome: .succeeded, policy: RetryPolicy(base: 2, maximum: 60), now: testEpoch)
        #expect(try await before.recordResult(done, of: try #require(JobClaim(first))))
        let running = try #require(try await before.claimJobs(registering: ["w2"], now: testEpoch).first)
        try await backend.rollBack(url, to: 9)

        let after = try await backend.openScopedStore(url)
        let jobs = try await after.jobs(JobFilter())
        #expect(jobs.map(\.id.rawValue) == ["c", "a", "b"])
        #expect(jobs.map(\.state) == [.completed, .processing, .pending])
        #expect(jobs[1].worker == "w2" && jobs[1].attempts == 1)
        var counts = try await after.counts(now: testEpoch)
        #expect(counts.completed == 1 && counts.processing == 1 && counts.pending == 1 && counts.cancelled == 0)

        _ = try await after.cancelJobs([JobID(trusted: "b"), running.id], grace: .seconds(5), now: testEpoch)
        #expect(try await after.cancelRequests(for: ["w2"]).map(\.claim.jobID.rawValue) == ["a"])
        counts = try await after.counts(now: testEpoch)
        #expect(counts.cancelled == 1 && counts.pending == 0 && counts.processing == 1)
        // The rebuilt table still refuses what it refused before.
        await #expect(throws: (any Error).self) {
            try await backend.execute(rawSQL: ["UPDATE queuectl_job SET state = 'paused' WHERE id = 'c'"], on: url)
        }
        await #expect(throws: (any Error).self) {
            try await backend.execute(rawSQL: ["UPDATE queuectl_job SET worker = 'w9' WHERE id = 'c'"], on: url)
        }
    }
}
