import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Migration 025 (SQLite): a finished run is counted in one row of `queuectl_run_tally`. What runs counted before
/// it, in `queuectl_counter`, still counts, and the runs after it add to the same totals.
@Suite("Migration 025, run tally", .storeScope)
struct RunTallyMigrationTests {
    private let policy = RetryPolicy(base: 2, maximum: 60)

    /// Claims the next job and ends it with `outcome` after `seconds`; returns the job's state.
    private func run(_ store: any JobStore, _ outcome: RunOutcome, seconds: Double) async throws -> JobState? {
        let job = try #require(try await store.claimJobs(registering: ["w-\(UUID().uuidString)"], now: testEpoch).first)
        let end = try #require(job.startedAt).addingTimeInterval(seconds)
        let result = RunResult(job: job, outcome: outcome, policy: policy, now: end)
        #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
        return try await store.job(job.id)?.state
    }

    @Test("runs counted before migration 025 keep counting, and runs after it add to the same counters")
    func countsCarryOver() async throws {
        let backend = TestBackend.sqlite
        let url = try await backend.scopedDatabaseURL()
        let before = try await backend.openScopedStore(url)
        try await before.enqueue((0..<3).map { makeJob("j\($0)", maxRetries: $0 == 2 ? 0 : 3) })
        // What version 24 wrote for a run that completed after 0.3 s and one that failed after 2 s, each picked
        // up at once, and for a job cancelled while waiting.
        let runsBefore = [
            (RunMetrics.runsCompleted, 1.0), (RunMetrics.runsRetried, 1), (RunMetrics.jobsCancelled, 1),
            (RunMetrics.binName(RunMetrics.runDuration, upperBound: 0.5), 1),
            (RunMetrics.binName(RunMetrics.runDuration, upperBound: 5), 1), ("run_duration_seconds_sum", 2.3),
            ("run_duration_seconds_count", 2), (RunMetrics.binName(RunMetrics.pickupDelay, upperBound: 0.001), 2),
            ("pickup_delay_seconds_sum", 0), ("pickup_delay_seconds_count", 2),
        ]
        let rows = runsBefore.map { "('\($0.0)', \($0.1))" }.joined(separator: ", ")
        try await backend.execute(
            rawSQL: MigrationRollback.statements(backTo: 24, on: backend) + [
                "DELETE FROM queuectl_counter", "INSERT INTO queuectl_counter (name, value) VALUES \(rows)",
            ], on: url)

        let after = try await backend.openScopedStore(url)
        #expect(try await after.counters() == Dictionary(uniqueKeysWithValues: runsBefore))
        #expect(try await run(after, .succeeded, seconds: 0.3) == .completed)
        #expect(try await run(after, .succeeded, seconds: 0.3) == .completed)
        #expect(try await run(after, .exited(1), seconds: 7_200) == .dead)

        let counters = try await after.counters()
        #expect(counters[RunMetrics.runsCompleted] == 3)
        #expect(counters[RunMetrics.runsRetried] == 1)
        #expect(counters[RunMetrics.runsDead] == 1)
        #expect(counters[RunMetrics.jobsCancelled] == 1)
        #expect(counters["run_duration_seconds_count"] == 5)
        #expect(abs((counters["run_duration_seconds_sum"] ?? 0) - (2.3 + 0.3 * 2 + 7_200)) < 1e-6)
        #expect(counters[RunMetrics.binName(RunMetrics.runDuration, upperBound: 0.5)] == 3)
        #expect(counters[RunMetrics.binName(RunMetrics.runDuration, upperBound: 5)] == 1)
        // Past the last bound: in the count and the sum only.
        #expect(RunMetrics.cumulativeBuckets(RunMetrics.runDuration, in: counters).last?.count == 4)
        #expect(counters["pickup_delay_seconds_count"] == 5)
    }
}
