import Foundation
import QueueCore

extension Operations {
    /// Every registered worker with the state users see (`idle`, `busy`, `stopping`, or `lost` once its
    /// lease lapsed under the store's `lease_timeout`), as `worker list` and `GET /api/workers` show them.
    public func workers() async throws -> [WorkerDocument] {
        let leaseTimeout = try await leaseTimeout()
        let now = clock.now()
        return try await store.workers().map { WorkerDocument(worker: $0, now: now, leaseTimeout: leaseTimeout) }
    }

    /// The workers whose lease still holds now (`WorkerRecord.isLive`), on every host.
    public func liveWorkers() async throws -> [WorkerRecord] {
        let leaseTimeout = try await leaseTimeout()
        let now = clock.now()
        return try await store.workers().filter { $0.isLive(at: now, leaseTimeout: leaseTimeout) }
    }

    /// Asks every worker of every host to finish its running jobs and exit, without waiting (each daemon
    /// reads the request at its next heartbeat or wake-up): what `POST /api/workers/stop` does, and how
    /// `worker stop --all-hosts` begins. Returns the request and the live workers it reached.
    public func requestStopOfAllWorkers() async throws -> WorkerStopRequest {
        let live = try await liveWorkers()
        try await store.requestStop(.drain, host: nil)
        return WorkerStopRequest(command: .drain, workers: live)
    }

    /// Whether live workers could run what someone waits for (`wait`, `logs --follow`), judged now at the
    /// store's lease timeout.
    public func workerAvailability() async throws -> WorkerAvailability {
        WorkerAvailability(workers: try await store.workers(), now: clock.now(), leaseTimeout: try await leaseTimeout())
    }

    /// The store's lease timeout, in seconds.
    func leaseTimeout() async throws -> TimeInterval {
        TimeInterval(try await store.configuration().leaseTimeout)
    }
}
