import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Store throughput without process spawning: 8 concurrent claimers claim and complete jobs through
/// the store API until none is left, on every backend. A measurement, not a check of speed: it runs only
/// when `QUEUECTL_BENCH_STORE` is set (`bench/store_throughput.sh` sets it and builds in release mode),
/// prints jobs/s per backend, and fails only if a job is lost or run twice.
@Suite("Store throughput (benchmark)", .enabled(if: ProcessInfo.processInfo.environment["QUEUECTL_BENCH_STORE"] != nil))
struct PostgresThroughputTests {
    private static let jobCount = Int(ProcessInfo.processInfo.environment["BENCH_JOBS"] ?? "") ?? 5000
    private static let claimers = 8
    /// `BENCH_STORE=sqlite|postgresql` measures one store alone (the two otherwise share the cores).
    private static let backends = TestBackend.all.filter { backend in
        guard let only = ProcessInfo.processInfo.environment["BENCH_STORE"], !only.isEmpty else { return true }
        return backend.testDescription.lowercased() == only.lowercased()
    }

    @Test("8 concurrent claimers claim and complete every job exactly once", arguments: backends)
    func claimAndComplete(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let url = try await backend.makeDatabaseURL(in: directory)
        let store = try await backend.openStore(url)
        let now = Date()
        try await store.enqueue(makeJobs(Self.jobCount, prefix: "bench", createdAt: now))

        let started = ContinuousClock.now
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for claimer in 0..<Self.claimers {
                group.addTask {
                    var done = 0
                    while let job = try await store.claimJobs(for: ["bench-\(claimer)"], queues: [], now: now).first {
                        let claim = try #require(JobClaim(job))
                        let result = RunResult(job: job, outcome: .succeeded, policy: RetryPolicy(QueueConfig()), now: now)
                        #expect(try await store.recordResult(result, of: claim))
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(Self.jobCount) / seconds
        print("store throughput \(backend.testDescription): \(Self.jobCount) jobs, \(Self.claimers) claimers, "
            + String(format: "%.2f s, %.0f jobs/s", seconds, rate) + " (per claimer: \(counts.sorted()))")
        #expect(counts.reduce(0, +) == Self.jobCount)
        #expect(try await store.counts(now: now).completed == Self.jobCount)
    }
}
