import Foundation
import QueueCore
import QueueWorker

extension Operations {
    /// Stops workers gracefully and returns once they have exited: they take no new job, finish the ones they
    /// run, deregister and exit. With `timeout`, jobs still running after that many seconds are killed and put
    /// back as pending. `waiting` is told once, a second in, which jobs this host's workers still run.
    ///
    /// `.thisHost` stops the daemons of `home` and the workers registered with `hostID`
    /// (`WorkerSupervisor.stopWorkers`). `.allHosts` first asks every worker anywhere through the store, stops
    /// this host's as `.thisHost` does, then waits until no worker anywhere holds a live lease (with `timeout`,
    /// the ones still running are told to abort). Returns the number of worker processes that were running.
    public func stopWorkers(
        _ scope: WorkerStopScope, home: QueueHome, hostID: String = WorkerHost.identity, timeout: Double?,
        waiting: (@Sendable ([JobID]) -> Void)? = nil
    ) async throws -> Int {
        let supervisor = WorkerSupervisor(store: store, home: home, hostID: hostID)
        guard scope == .allHosts else { return try await supervisor.stopWorkers(timeout: timeout, waiting: waiting) }
        // The timeout counts from the request, not from when this host's daemons are gone.
        var wait = ObservedWait<Int>(interval: .milliseconds(50))
        if let timeout {
            wait.step(after: .seconds(timeout)) { _ in try await store.requestStop(.abort, host: nil) }
        }
        let request = try await requestStopOfAllWorkers()
        // This host's daemons may see the request and exit before `stopWorkers` looks for them.
        let local = max(
            try await supervisor.stopWorkers(timeout: timeout, waiting: waiting), request.processCount(on: hostID))
        try await wait.run(observe: { try await counts().workers }, until: { $0 == 0 })
        return local + request.processCount(notOn: hostID)
    }
}
