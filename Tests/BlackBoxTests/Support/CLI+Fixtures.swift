import Foundation
import QueueCore
import QueueTestSupport
import Testing

extension CLI {
    /// Makes dead jobs through the store API (no workers are needed): each is enqueued with
    /// `max_retries` 0 in the queue `fixture` (so claiming them leaves every other job alone), claimed,
    /// and its one run recorded as a failure (exit 3), so it lands in the DLQ.
    func makeDeadJobs(_ ids: [String]) async throws {
        let store = try await openStore()
        let now = Date()
        let jobs = ids.map { id in
            Job(id: JobID(trusted: id), command: "exit 3", maxRetries: 0, runAt: now, queue: "fixture", createdAt: now)
        }
        try await store.enqueue(jobs)
        let workers = ids.map { "test-worker-\($0)" }
        let claimed = try await store.claimJobs(registering: workers, queues: ["fixture"], now: now)
        try await store.deregisterWorkers(workers)
        try #require(claimed.count == ids.count)
        for job in claimed {
            let claim = try #require(JobClaim(job))
            let result = RunResult(job: job, outcome: .exited(3), policy: RetryPolicy(QueueConfig()), now: now)
            #expect(result.disposition == .dead)
            #expect(try await store.recordResult(result, of: claim))
        }
    }

    /// Makes a job in `failed` (one run failed, retries left, next run an hour away) and one in
    /// `processing` (claimed by a worker that is not running), through the store API.
    func makeFailedAndProcessingJobs(failed: String, processing: String) async throws {
        let store = try await openStore()
        let now = Date()
        try await store.enqueue([
            Job(id: JobID(trusted: failed), command: "exit 3", maxRetries: 5, runAt: now, queue: "fixture-f", createdAt: now),
            Job(id: JobID(trusted: processing), command: "sleep 1", maxRetries: 0, runAt: now, queue: "fixture-p", createdAt: now),
        ])
        let claimed = try await store.claimJobs(registering: ["test-worker-f"], queues: ["fixture-f"], now: now)
        let job = try #require(claimed.first)
        let claim = try #require(JobClaim(job))
        var config = QueueConfig()
        config.backoffBase = 3600
        let result = RunResult(job: job, outcome: .exited(3), policy: RetryPolicy(config), now: now)
        #expect(try await store.recordResult(result, of: claim))
        let running = try await store.claimJobs(registering: ["test-worker-p"], queues: ["fixture-p"], now: now)
        try #require(running.count == 1)
    }
}
