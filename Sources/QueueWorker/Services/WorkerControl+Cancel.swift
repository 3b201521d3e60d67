import Logging
import QueueCore

extension WorkerControl {
    /// Asks `store` for cancel requests of the runs this process holds and stops the runs they name
    /// (`RunningProcess.cancel`). Called on every store wake-up (a `cancel` NOTIFYs, or writes to the wake-up
    /// sockets) and on every heartbeat, the fallback when a wake-up was missed; costs nothing while no slot
    /// runs a job.
    func stopCancelledRuns(in store: any JobStore, logger: Logger) async {
        let running = runs(registeredUpTo: .max)
        guard !running.isEmpty else { return }
        let requests: [CancelRequest]
        do {
            requests = try await store.cancelRequests(for: running.map(\.claim.worker))
        } catch {
            logger.warning("reading cancel requests failed: \(error)")
            return
        }
        let graceByClaim = Dictionary(requests.map { ($0.claim, $0.grace) }, uniquingKeysWith: { first, _ in first })
        for run in running {
            guard let grace = graceByClaim[run.claim], run.process.cancel(grace: grace) else { continue }
            logger.notice(
                "job \(run.claim.jobID) attempt \(run.claim.attempt) was cancelled: sent SIGTERM to its process group, SIGKILL after \(grace)")
        }
    }
}
