/// A person's change to jobs that already exist: `remove`, `restart` and `promote`. Each action's rule
/// (which states it takes) is here once, below the CLI and the dashboard; the stores apply it atomically
/// (`JobControlStore.apply(_:to:now:)`), asking `check(_:state:)` about every job under the same lock.
public enum JobAction: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Delete the job and its log.
    case remove
    /// Run a finished job again from scratch: back to `pending`, attempts and snoozes 0, due now.
    case restart
    /// Make a waiting job due now.
    case promote

    /// The states a job may be in for this action to take it.
    public var acceptedStates: Set<JobState> {
        switch self {
        // A running job belongs to its worker: deleting it under the run would lose the run's result.
        case .remove: Set(JobState.allCases).subtracting([.processing])
        case .restart: JobState.finished
        // Even one already due: promoting it is harmless (it keeps its place).
        case .promote: Set(JobState.claimable)
        }
    }

    /// Whether this action takes a job in `state`.
    public func accepts(_ state: JobState) -> Bool { acceptedStates.contains(state) }

    /// Throws `actionRefused` when this action does not take job `id` in `state`.
    public func check(_ id: JobID, state: JobState) throws(QueueError) {
        guard accepts(state) else { throw .actionRefused(self, id, state) }
    }

    /// What the action takes, as a refusal explains it.
    public var acceptedStatesText: String {
        switch self {
        case .remove: "jobs in any state but processing"
        case .restart, .promote:
            JobState.allCases.filter(acceptedStates.contains).map(\.rawValue).joined(separator: ", ") + " jobs"
        }
    }

    /// What to do instead, when a job's state is refused.
    func advice(for state: JobState) -> String {
        switch (self, state) {
        case (.remove, .processing): "wait for its run to end"
        case (.restart, _): state == .processing ? "wait for its run to end" : "promote runs a waiting job now"
        case (.promote, .processing): "it is running already"
        case (.promote, _): "use restart to run a finished job again"
        default: "see queuectl \(rawValue) --help"
        }
    }

    public var description: String { rawValue }
}
