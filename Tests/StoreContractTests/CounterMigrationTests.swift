import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Migration 002: a database whose histograms were written as cumulative buckets (queuectl before 002)
/// keeps every count once its rows become bins.
@Suite("Counter migration", .storeScope)
struct CounterMigrationTests {
    /// What a database at version 1 held after four runs of 0.2, 0.3, 0.4 and 4 s, each picked up within 1 ms:
    /// cumulative buckets (3 runs at or under 0.5 s, 4 at or under 5 s; 4 pickups at or under 0.001 s). On
    /// PostgreSQL in two shards, as two workers wrote them: the three short runs in shard 1, the long one in
    /// shard 2; SQLite has one row per name.
    private func versionOneCounters(_ backend: TestBackend) -> [String] {
        let histograms: [(name: String, shards: [(shard: Int, runs: (Double) -> Int)])] = [
            (RunMetrics.runDuration, [(1, { $0 >= 0.5 ? 3 : 0 }), (2, { $0 >= 5 ? 1 : 0 })]),
            (RunMetrics.pickupDelay, [(1, { _ in 3 }), (2, { _ in 1 })]),
        ]
        var rows: [String] = []
        for (histogram, shards) in histograms {
            for bound in RunMetrics.buckets {
                // Named as version 1 named them: `<histogram>_bucket:<bound>`.
                let bucket = RunMetrics.binName(histogram, upperBound: bound)
                    .replacingOccurrences(of: "_bin:", with: "_bucket:")
                let name = "'\(bucket)'"
                switch backend {
                case .sqlite:
                    let total = shards.map { $0.runs(bound) }.reduce(0, +)
                    if total > 0 { rows.append("(\(name), \(total))") }
                case .postgres:
                    for (shard, runs) in shards where runs(bound) > 0 { rows.append("(\(name), \(shard), \(runs(bound)))") }
                }
            }
        }
        let (columns, others) =
            backend == .postgres
            ? ("(name, shard, value)", ["('runs_completed_total', 1, 3)", "('runs_completed_total', 2, 1)"])
            : ("(name, value)", ["('runs_completed_total', 4)"])
        return ["DELETE FROM queuectl_counter", "INSERT INTO queuectl_counter \(columns) VALUES \((rows + others).joined(separator: ", "))"]
    }

    @Test("cumulative buckets written before migration 002 become bins with the same counts", arguments: TestBackend.all)
    func bucketsBecomeBins(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        _ = try await backend.openScopedStore(url)
        try await backend.execute(rawSQL: MigrationRollback.statements(backTo: 1, on: backend) + versionOneCounters(backend), on: url)

        let store = try await backend.openScopedStore(url)
        let counters = try await store.counters()
        #expect(counters[RunMetrics.binName(RunMetrics.runDuration, upperBound: 0.5)] == 3)
        #expect(counters[RunMetrics.binName(RunMetrics.runDuration, upperBound: 5)] == 1)
        #expect(counters.keys.filter { $0.contains("_bucket:") }.isEmpty)
        #expect(counters[RunMetrics.binName(RunMetrics.pickupDelay, upperBound: 0.001)] == 4)
        #expect(counters.keys.filter { $0.contains("_bin:") }.count == 3)
        #expect(counters[RunMetrics.runsCompleted] == 4)
        let buckets = RunMetrics.cumulativeBuckets(RunMetrics.runDuration, in: counters)
        #expect(buckets.map(\.count) == RunMetrics.buckets.map { $0 >= 5 ? 4 : $0 >= 0.5 ? 3 : 0 })
        #expect(RunMetrics.cumulativeBuckets(RunMetrics.pickupDelay, in: counters).map(\.count) == RunMetrics.buckets.map { _ in 4 })

        // The migrated store goes on counting in bins.
        try await store.enqueue([makeJob("after")])
        let job = try #require(try await store.claimJobs(registering: ["w1"], now: testEpoch).first)
        let end = try #require(job.startedAt).addingTimeInterval(0.3)
        let result = RunResult(job: job, outcome: .succeeded, policy: RetryPolicy(base: 2, maximum: 60), now: end)
        #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
        #expect(try await store.counters()[RunMetrics.binName(RunMetrics.runDuration, upperBound: 0.5)] == 4)
    }
}
