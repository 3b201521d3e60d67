import Foundation

/// Whether the jobs someone waits for have a live worker that could run them. `wait` and `logs --follow`
/// keep waiting either way, but say so when none has: otherwise a person waits for ever without knowing why.
public struct WorkerAvailability: Sendable {
    /// Every registered worker.
    public let workers: [WorkerRecord]
    /// The instant the workers' heartbeats are judged at.
    public let now: Date
    /// Seconds without a heartbeat after which a worker counts as lost.
    public let leaseTimeout: TimeInterval

    public init(workers: [WorkerRecord], now: Date, leaseTimeout: TimeInterval) {
        self.workers = workers
        self.now = now
        self.leaseTimeout = leaseTimeout
    }

    /// The note to print for `jobs`: nil when each of them has ended or a live worker (not lost, not
    /// stopping) serves its queue; else one line saying what to start.
    public func note(for jobs: [Job]) -> String? {
        let live = workers.filter { ["idle", "busy"].contains($0.state(now: now, leaseTimeout: leaseTimeout)) }
        for job in jobs where !job.state.isFinal {
            if live.isEmpty { return "no worker is running; start one with 'queuectl worker start'" }
            if !live.contains(where: { $0.queues.isEmpty || $0.queues.contains(job.queue) }) {
                return "no running worker serves queue '\(job.queue)'; start one with 'queuectl worker start --queue \(job.queue)'"
            }
        }
        return nil
    }
}
