import Foundation

/// Which finished jobs `purge` (and retention) deletes: those in `states`, in `queues` (empty: any), whose
/// `updated_at` is more than `olderThan` seconds before now.
public struct PurgeSelection: Sendable, Equatable {
    /// The states to delete from, each one of `JobState.finished`.
    public let states: Set<JobState>
    /// Only jobs of these queues (empty: every queue).
    public let queues: [String]
    /// Only jobs whose `updated_at` is more than this many seconds before now (0: every such job).
    public let olderThan: TimeInterval

    /// A selection of finished jobs. Throws `invalidInput` (exit 2) for no state, or one that is not finished:
    /// jobs that may still run are removed one by one with `remove`, never in bulk by age.
    public init(states: Set<JobState>, queues: [String] = [], olderThan: TimeInterval = 0) throws(QueueError) {
        let finished = JobState.allCases.filter(JobState.finished.contains).map(\.rawValue).joined(separator: ", ")
        guard !states.isEmpty else { throw .invalidInput("give the states to purge with --state (\(finished))") }
        if let unfinished = JobState.allCases.first(where: { states.contains($0) && !JobState.finished.contains($0) }) {
            throw .invalidInput(
                "purge deletes finished jobs only (\(finished)), not \(unfinished) ones; use remove for single jobs")
        }
        guard olderThan >= 0, olderThan.isFinite else { throw .invalidInput("--older-than must not be negative") }
        self.states = states
        self.queues = queues
        self.olderThan = olderThan
    }

    /// A selection from state and queue names as typed (`purge --state --queue`): an unknown state or an
    /// invalid queue name is a usage error, as for `list`.
    public init(parsingStates stateNames: [String], queues queueNames: [String], olderThan: TimeInterval = 0)
        throws(QueueError)
    {
        var states = Set<JobState>()
        for name in stateNames { states.insert(try JobState(parsing: name)) }
        for queue in queueNames where !JobSpec.isValidQueueName(queue) { throw JobSpec.invalidQueueName(queue) }
        try self.init(states: states, queues: queueNames, olderThan: olderThan)
    }

    /// The states in a stable order (for statements and messages).
    public var orderedStates: [JobState] { JobState.allCases.filter(states.contains) }

    /// The instant before which a job's `updated_at` must lie, seen from `now`.
    public func cutoff(now: Date) -> Date { now.addingTimeInterval(-olderThan) }
}
