/// Which dead jobs `dlq retry` moves back.
public enum DeadJobSelection: Sendable, Equatable {
    /// Every dead job.
    case all
    /// These jobs, each of which must be dead.
    case jobs([JobID])

    /// The named ids in the order given, each once (nil for `.all`).
    public var requestedIDs: [JobID]? {
        guard case .jobs(let ids) = self else { return nil }
        var seen = Set<JobID>()
        return ids.filter { seen.insert($0).inserted }
    }

    /// Whether the named jobs may all be moved back, given the state of each that exists (`states`, read in
    /// the store's transaction): throws `jobNotFound` or `jobNotDead` for the first of `ids` that is missing
    /// or not dead. Only a dead job goes back: any other state is a job someone else still owns or that is done.
    public static func checkRetryable(_ ids: [JobID], states: [JobID: JobState]) throws(QueueError) {
        for id in ids {
            guard let state = states[id] else { throw .jobNotFound(id) }
            guard state == .dead else { throw .jobNotDead(id, state) }
        }
    }
}
