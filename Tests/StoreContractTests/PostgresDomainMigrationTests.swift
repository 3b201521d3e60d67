import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Migration 005 (PostgreSQL only): the job table's single-column checks become domains. A queue written
/// before it keeps every job as it was, and the table refuses what it refused before.
@Suite("PostgreSQL: migration 005, checks as domains", .storeScope, .enabled(if: TestBackend.all.contains(.postgres)))
struct PostgresDomainMigrationTests {
    @Test("jobs written before migration 005 keep their states and attempts, and the store goes on with them")
    func jobsSurvive() async throws {
        let url = try await TestBackend.postgres.scopedDatabaseURL()
        let before = try await TestBackend.postgres.openScopedStore(url)
        try await before.enqueue([makeJob("done"), makeJob("running"), makeJob("waiting")])
        let first = try #require(try await before.claimJobs(registering: ["w1"], now: testEpoch).first)
        let finished = RunResult(job: first, outcome: .succeeded, policy: RetryPolicy(base: 2, maximum: 60), now: testEpoch)
        #expect(try await before.recordResult(finished, of: try #require(JobClaim(first))))
        let running = try #require(try await before.claimJobs(registering: ["w2"], now: testEpoch).first)
        try await TestBackend.postgres.rollBack(url, to: 4)
        let after = try await TestBackend.postgres.openScopedStore(url)

        var jobs: [Job?] = []
        for id in ["done", "running", "waiting"] { jobs.append(try await after.job(JobID(trusted: id))) }
        #expect(jobs.map { $0?.state } == [.completed, .processing, .pending])
        #expect(jobs.map { $0?.attempts } == [1, 1, 0])
        #expect(jobs[1]?.worker == "w2")
        let next = try #require(try await after.claimJobs(registering: ["w3"], now: testEpoch).first)
        #expect(next.id.rawValue == "waiting")
        let end = RunResult(job: running, outcome: .succeeded, policy: RetryPolicy(base: 2, maximum: 60), now: testEpoch)
        #expect(try await after.recordResult(end, of: try #require(JobClaim(running))))
        #expect(try await after.job(JobID(trusted: "running"))?.state == .completed)
    }

    @Test(
        "after migration 005 (and 009, which adds snoozes) the job table still refuses an unknown state, negative counts and a worker outside processing",
        arguments: [
            "UPDATE queuectl_job SET state = 'paused'",
            "UPDATE queuectl_job SET attempts = -1",
            "UPDATE queuectl_job SET max_retries = -1",
            "UPDATE queuectl_job SET timeout = -5",
            "UPDATE queuectl_job SET snoozes = -1",
            "UPDATE queuectl_job SET worker = 'w1'",
        ])
    func checksHold(statement: String) async throws {
        let url = try await TestBackend.postgres.scopedDatabaseURL()
        let store = try await TestBackend.postgres.openScopedStore(url)
        try await store.enqueue([makeJob("kept")])
        await #expect(throws: (any Error).self) {
            try await TestBackend.postgres.execute(rawSQL: [statement], on: url)
        }
        let job = try #require(try await store.job(JobID(trusted: "kept")))
        #expect(job.state == .pending && job.attempts == 0 && job.maxRetries == 3 && job.worker == nil)
    }
}
