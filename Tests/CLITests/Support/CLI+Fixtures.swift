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
}
