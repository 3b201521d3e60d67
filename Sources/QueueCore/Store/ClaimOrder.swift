/// The order a multi-worker claim answers in. `JobStore.claimJobs(for:queues:now:)` hands the i-th due job
/// (contract order) to the i-th worker id; a store whose statement returns the rows in another order puts
/// them back in the order of their workers with this, so that "worker i got job i" holds whatever the
/// dialect returns.
public enum ClaimOrder {
    /// `jobs` sorted by the position of their `worker` in `workers` (a worker named twice counts at its
    /// first position; a job without a worker, which a claim never returns, goes first).
    public static func sorted(_ jobs: [Job], workers: [String]) -> [Job] {
        var position: [String: Int] = [:]
        for (index, worker) in workers.enumerated() where position[worker] == nil { position[worker] = index }
        return jobs.enumerated().sorted { first, second in
            let left = first.element.worker.flatMap { position[$0] } ?? -1
            let right = second.element.worker.flatMap { position[$0] } ?? -1
            return left != right ? left < right : first.offset < second.offset
        }.map(\.element)
    }
}
