import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Migration 021 (PostgreSQL only): the dependency trigger on a change of state is asked about `in_dependencies`
/// alone. A queue written at 019 gets the column from its rows, so the waits and cascades it already holds go on.
@Suite("PostgreSQL: migration 021, dependency marks", .storeScope, .enabled(if: TestBackend.all.contains(.postgres)))
struct DependencyMarksMigrationTests {
    private let policy = RetryPolicy(base: 2, maximum: 60)

    @Test("waits written before migration 021 are released by a completion and cancelled by a dead dependency after it")
    func waitsSurvive() async throws {
        let backend = TestBackend.postgres
        let url = try await backend.scopedDatabaseURL()
        let before = try await backend.openScopedStore(url)
        try await before.enqueue([
            makeJob("a", maxRetries: 0), waiting("b", after: ["a"]), waiting("c", after: ["b"]),
            makeJob("x"), waiting("y", after: ["x"]),
        ])
        try await backend.rollBack(url, to: 19)

        let after = try await backend.openScopedStore(url)
        let running = try await after.claimJobs(registering: ["w1", "w2", "w3", "w4", "w5"], now: testEpoch)
        #expect(Set(running.map(\.id.rawValue)) == ["a", "x"])
        try await finish(after, try #require(running.first { $0.id.rawValue == "x" }), .succeeded)
        #expect(try await after.claimJobs(registering: ["w6"], now: testEpoch).map(\.id.rawValue) == ["y"])

        try await finish(after, try #require(running.first { $0.id.rawValue == "a" }), .exited(1))
        for id in ["b", "c"] {
            let job = try #require(try await after.job(JobID(trusted: id)))
            #expect(job.state == .cancelled)
            #expect(job.lastError == "dependency a ended dead")
        }
    }

    /// A pending job waiting for `after`.
    private func waiting(_ id: String, after: [String]) -> Job {
        var job = makeJob(id)
        job.after = after.map(JobID.init(trusted:))
        return job
    }

    /// Ends the run of `job` (claimed) with `outcome`.
    private func finish(_ store: any JobStore, _ job: Job, _ outcome: RunOutcome) async throws {
        let result = RunResult(job: job, outcome: outcome, policy: policy, now: testEpoch)
        #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
    }
}
