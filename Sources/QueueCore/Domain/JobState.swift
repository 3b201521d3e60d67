/// The life cycle of a job. This is the one list of states and legal transitions;
/// the stores' CHECK constraints and docs/state-machine.md mirror it.
public enum JobState: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// Waiting to run, perhaps not before its `run_at`.
    case pending
    /// Claimed by exactly one worker and running.
    case processing
    /// The last run exited 0. Final until a person restarts it.
    case completed
    /// The last run failed; the job runs again once its backoff delay (its `run_at`) has passed.
    case failed
    /// Failed `1 + max_retries` times: parked in the dead letter queue until a person retries it.
    case dead
    /// Stopped by a person (`cancel`): never run again by itself. Final until a person restarts it.
    case cancelled

    /// Parses a state name as the user typed it (`--state`), case-insensitively.
    public init(parsing text: String) throws(QueueError) {
        guard let state = JobState(rawValue: text.lowercased()) else {
            throw .invalidInput(
                "unknown state '\(text)': use one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = state
    }

    /// States from which a job may be claimed (when due): those that may move to `processing`, by the table
    /// below. The stores' claim and due-time statements name exactly these.
    public static let claimable: [JobState] = allCases.filter { $0.canMove(to: .processing) }

    /// The states this state may move to.
    public var successors: Set<JobState> {
        switch self {
        // -> cancelled: `cancel` of a waiting job (at once) or of a running one (its worker ends the run).
        case .pending: [.processing, .cancelled]
        // processing -> pending: a graceful stop with --timeout puts the run back without counting it; a run
        // that exits with snooze_exit_code is snoozed, not counted either.
        case .processing: [.completed, .failed, .dead, .pending, .cancelled]
        // completed -> pending: `restart` runs it again from scratch.
        case .completed: [.pending]
        case .failed: [.processing, .cancelled]
        // dead -> pending: `dlq retry` or `restart` gives the job a fresh start.
        case .dead: [.pending]
        // cancelled -> pending: `restart` (dependents it cancelled stay cancelled).
        case .cancelled: [.pending]
        }
    }

    /// Whether moving from this state to `next` is legal.
    public func canMove(to next: JobState) -> Bool { successors.contains(next) }

    /// Whether no worker will touch a job in this state again by itself.
    public var isFinal: Bool { self == .completed || self == .dead || self == .cancelled }

    public var description: String { rawValue }
}
