import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Many writers at once, each with its own store instance on the same database (as separate
/// processes would have), on every backend.
@Suite("Concurrency", .storeScope)
struct ConcurrencyContractTests {
    @Test("20 concurrent enqueuers of 100 jobs each leave exactly 2,000 jobs", arguments: TestBackend.all)
    func concurrentEnqueue(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        let first = try await backend.openScopedStore(url)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<20 {
                group.addTask {
                    let store = try await backend.openScopedStore(url)
                    try await store.enqueue(makeJobs(100, prefix: "c\(client)"))
                }
            }
            try await group.waitForAll()
        }
        #expect(try await first.counts(now: testEpoch).pending == 2000)
        let ids = try await first.jobs(JobFilter()).map(\.id)
        #expect(ids.count == 2000)
        #expect(Set(ids).count == 2000)
    }

    @Test("8 concurrent claimers over 1,000 jobs claim each job exactly once", arguments: TestBackend.all)
    func concurrentClaim(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        let seed = try await backend.openScopedStore(url)
        try await seed.enqueue(makeJobs(1000))
        let claims = try await claimConcurrently(claimers: 8) { _ in try await backend.openScopedStore(url) }
        try await expectEachJobRanOnce(claims, seed: seed)
    }

    @Test(
        "8 claimers sharing one store, spread over its preferred executors as a worker's slots are, claim each job exactly once",
        arguments: TestBackend.all)
    func concurrentClaimOnPreferredExecutors(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        let store = try await backend.openScopedStore(url)
        try await store.enqueue(makeJobs(1000))
        let executors = store as? any TaskExecutorPreference
        let claims = try await claimConcurrently(claimers: 8, executor: { executors?.preferredTaskExecutor(forTask: $0) }) { _ in
            store
        }
        try await expectEachJobRanOnce(claims, seed: store)
    }

    /// Runs `claimers` tasks that claim (3 slots at a time) and complete jobs until none is left, each on the
    /// store `open` gives it and the executor `executor` names (nil: anywhere); returns how often each job id
    /// was claimed.
    private func claimConcurrently(
        claimers: Int, executor: (Int) -> (any TaskExecutor)? = { _ in nil },
        open: @escaping @Sendable (Int) async throws -> any JobStore
    ) async throws -> [String: Int] {
        try await withThrowingTaskGroup(of: [String: Int].self) { group in
            for claimer in 0..<claimers {
                group.addTask(executorPreference: executor(claimer)) {
                    let store = try await open(claimer)
                    var mine: [String: Int] = [:]
                    var round = 0
                    while true {
                        round += 1
                        let workers = (0..<3).map { "claimer\(claimer)-r\(round)-s\($0)" }
                        let claimed = try await store.claimJobs(registering: workers, queues: [], now: testEpoch)
                        if claimed.isEmpty { break }
                        for job in claimed {
                            mine[job.id.rawValue, default: 0] += 1
                            let result = RunResult(
                                disposition: .completed, exitCode: 0, lastError: nil, finishedAt: testEpoch,
                                tally: RunTally(outcome: .completed))
                            #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
                        }
                    }
                    return mine
                }
            }
            var merged: [String: Int] = [:]
            for try await partial in group {
                merged.merge(partial) { $0 + $1 }
            }
            return merged
        }
    }

    /// All 1,000 jobs were claimed once, completed at their first attempt, and counted once.
    private func expectEachJobRanOnce(_ claims: [String: Int], seed: any JobStore) async throws {
        #expect(claims.count == 1000)
        #expect(claims.values.allSatisfy { $0 == 1 })
        let counts = try await seed.counts(now: testEpoch)
        #expect(counts.completed == 1000)
        #expect(counts.pending == 0 && counts.processing == 0)
        #expect(try await seed.counters()[RunMetrics.runsCompleted] == 1000)
        #expect(try await seed.jobs(JobFilter(state: .completed)).allSatisfy { $0.attempts == 1 })
    }
}
