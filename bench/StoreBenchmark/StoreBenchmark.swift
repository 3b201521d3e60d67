import Foundation
import QueueCore
import QueueStorePostgres
import QueueStoreSQLite

/// Store throughput without process spawning: concurrent claimers claim and complete jobs through
/// the `JobStore` API (the calls a worker makes per job) until none is left, then the run is checked:
/// every job completed, each exactly once. `bench/store_throughput.sh` runs it on both stores.
///
///     queuectl-store-bench DATABASE [JOBS] [CLAIMERS]
///
/// DATABASE is a path for a new SQLite file or the URL of an empty PostgreSQL database.
@main
struct StoreBenchmark {
    static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        guard let database = arguments.first else {
            FileHandle.standardError.write(Data("usage: queuectl-store-bench DATABASE [JOBS] [CLAIMERS]\n".utf8))
            exit(2)
        }
        let jobCount = arguments.dropFirst().first.flatMap { Int($0) } ?? 5000
        let claimers = arguments.dropFirst(2).first.flatMap { Int($0) } ?? 8
        do {
            try await measure(database: database, jobCount: jobCount, claimers: claimers)
        } catch {
            FileHandle.standardError.write(Data("queuectl-store-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    private static func measure(database: String, jobCount: Int, claimers: Int) async throws {
        let isPostgres = database.hasPrefix("postgres://") || database.hasPrefix("postgresql://")
        // As the worker daemons open them: SQLite without an fsync per transition, PostgreSQL on the server's clock.
        let store: any JobStore =
            isPostgres
            ? try await PostgresJobStore.connect(url: database, clock: .database, maximumConnections: claimers)
            : try SQLiteJobStore(path: database, durability: .deferred)
        let now = Date()
        let jobs = (1...max(jobCount, 1)).map { index in
            Job(id: JobID(trusted: "bench-\(index)"), command: "true", maxRetries: 0, runAt: now, createdAt: now)
        }
        try await store.enqueue(jobs)
        // A claim only serves registered workers that are told to run.
        try await store.registerWorkers(
            (0..<claimers).map {
                WorkerRegistration(
                    id: "bench-\($0)", pid: getpid(), host: "bench", processStart: 0, queues: [])
            }, now: Date())
        let policy = RetryPolicy(QueueConfig())

        let started = ContinuousClock.now
        let perClaimer = try await withThrowingTaskGroup(of: (done: Int, refused: Int).self) { group in
            for claimer in 0..<claimers {
                // Spread over the store's preferred executors, as a worker daemon spreads its slots.
                group.addTask(
                    executorPreference: (store as? any TaskExecutorPreference)?.preferredTaskExecutor(forTask: claimer)
                ) {
                    var done = 0
                    var refused = 0
                    // As a busy worker slot does: one claim, then each result claims the next job.
                    var next = try await store.claimJobs(for: ["bench-\(claimer)"], queues: [], now: Date()).first
                    while let job = next, let claim = JobClaim(job) {
                        let result = RunResult(job: job, outcome: .succeeded, policy: policy, now: Date())
                        let recorded = try await store.recordResult(result, of: claim, thenClaimFrom: [])
                        if recorded.applied { done += 1 } else { refused += 1 }
                        next = recorded.next
                    }
                    return (done, refused)
                }
            }
            return try await group.reduce(into: [(done: Int, refused: Int)]()) { $0.append($1) }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let completed = try await store.counts(now: Date()).completed
        let done = perClaimer.map(\.done).reduce(0, +)
        let refused = perClaimer.map(\.refused).reduce(0, +)
        let name = isPostgres ? "PostgreSQL" : "SQLite"
        print(
            "store throughput \(name): \(jobs.count) jobs, \(claimers) claimers, "
                + String(format: "%.2f s, %.0f jobs/s", seconds, Double(done) / seconds)
                + "; per claimer \(perClaimer.map(\.done).sorted())")
        guard done == jobs.count, completed == jobs.count, refused == 0 else {
            FileHandle.standardError.write(
                Data("queuectl-store-bench: \(done) runs recorded, \(completed) jobs completed, \(refused) refused; expected \(jobs.count) each and 0 refused\n".utf8))
            exit(1)
        }
        if let postgres = store as? PostgresJobStore { await postgres.close() }
    }
}
