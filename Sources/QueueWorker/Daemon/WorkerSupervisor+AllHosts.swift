import Foundation
import QueueCore

extension WorkerSupervisor {
    /// `worker stop --all-hosts`: asks the workers of every host sharing the store to stop, through the
    /// store (each daemon reads the request at its next heartbeat or wake-up), stops this host's daemons
    /// as `stopWorkers` does, and returns once no worker anywhere holds a live lease. With `timeout`,
    /// workers still running after that many seconds are told to abort (kill their jobs and put them
    /// back as pending). Returns the number of worker processes that were running. `waiting` is told what
    /// this host's workers still run, as by `stopWorkers`.
    public static func stopWorkersOnAllHosts(
        store: any JobStore, home: QueueHome, hostID: String, timeout: Double?, clock: any TimeSource = SystemTimeSource(),
        waiting: (@Sendable ([JobID]) -> Void)? = nil
    ) async throws -> Int {
        let monotonic = ContinuousClock()
        let abortAt = timeout.map { monotonic.now.advanced(by: .milliseconds(Int64($0 * 1000))) }
        let lease = Double(try await store.configuration().leaseTimeout)
        let now = clock.now()
        let live = try await store.workers().filter { now.timeIntervalSince($0.heartbeatAt) <= lease }
        let remote = Set(live.filter { $0.hostID != hostID }.map { "\($0.hostID)/\($0.pid)/\($0.processStart)" })
        let localRegistered = Set(live.filter { $0.hostID == hostID }.map(\.pid)).count
        try await store.requestStop(.drain, host: nil)
        // This host's daemons may see the request and exit before `stopWorkers` looks for them.
        let local = max(
            try await stopWorkers(store: store, home: home, hostID: hostID, timeout: timeout, waiting: waiting),
            localRegistered)
        var aborted = false
        while try await store.counts(now: clock.now()).workers > 0 {
            if let abortAt, !aborted, monotonic.now >= abortAt {
                aborted = true
                try await store.requestStop(.abort, host: nil)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return local + remote.count
    }
}
