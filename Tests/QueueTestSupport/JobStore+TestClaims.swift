import Foundation
import QueueCore

extension JobStore {
    /// Registers `workers` (as a host named `test-host`, heartbeat `now`) and claims jobs for them: a claim
    /// only serves workers registered with command `run`. The rows stay; deregister them when a test
    /// counts workers.
    public func claimJobs(registering workers: [String], queues: [String] = [], now: Date) async throws -> [Job] {
        let registrations = workers.map {
            WorkerRegistration(id: $0, pid: 1, host: "test-host", processStart: 1, queues: queues)
        }
        try await registerWorkers(registrations, now: now)
        return try await claimJobs(for: workers, queues: queues, now: now)
    }
}
