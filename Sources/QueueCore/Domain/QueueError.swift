/// The one error taxonomy of queuectl. Every case renders as one line that says what
/// was wrong and, where it helps, what to do; `isUsage` decides the exit code (2 vs 1).
public enum QueueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Bad usage or input: unparseable JSON, unknown field or key, out-of-range value (exit 2).
    case invalidInput(String)
    /// No job has this id (exit 1).
    case jobNotFound(JobID)
    /// A job with this id exists already (exit 1).
    case duplicateJobID(JobID)
    /// A job id prefix that several jobs' ids start with (exit 1): the prefix and the first few of them.
    case ambiguousJobID(String, [JobID])
    /// `dlq retry` of a job that is not dead (exit 1).
    case jobNotDead(JobID, JobState)
    /// `cancel` of a job whose state does not allow it: completed, dead or cancelled (exit 1).
    case jobNotCancellable(JobID, JobState)
    /// `remove`, `restart` or `promote` of a job in a state the action does not take (exit 1).
    case actionRefused(JobAction, JobID, JobState)
    /// An `after` id that names no job, in the store or earlier in the batch, or several (exit 1); nothing was
    /// enqueued. The whole message (`JobDependencies.resolve`).
    case unresolvedDependency(String)
    /// `schedule add` of a name a schedule has already (exit 1).
    case scheduleExists(ScheduleName)
    /// `schedule remove` of a name no schedule has (exit 1).
    case scheduleNotFound(ScheduleName)
    /// The store could not be opened or reached (exit 1).
    case storeUnavailable(String)
    /// Any other failed operation (exit 1).
    case operationFailed(String)

    /// Whether this is a usage error (exit 2) rather than a failed operation (exit 1).
    public var isUsage: Bool {
        if case .invalidInput = self { return true }
        return false
    }

    /// The process exit code the contract assigns to this error.
    public var exitCode: Int32 { isUsage ? 2 : 1 }

    public var description: String {
        switch self {
        case .invalidInput(let message): message
        case .jobNotFound(let id): "no job with id '\(id)'"
        case .duplicateJobID(let id): "a job with id '\(id)' already exists; nothing was enqueued"
        case .ambiguousJobID(let prefix, let candidates):
            "job id '\(prefix)' is ambiguous: it starts the ids "
                + candidates.prefix(JobIDResolver.candidatesShown).map { "'\($0)'" }.joined(separator: ", ")
                + (candidates.count > JobIDResolver.candidatesShown ? " and more" : "")
                + "; give more of the id"
        case .jobNotDead(let id, let state): "job '\(id)' is \(state), not dead; only dead jobs can be retried"
        case .jobNotCancellable(let id, let state):
            "job '\(id)' is \(state); only pending, failed or processing jobs can be cancelled; nothing was cancelled"
        case .actionRefused(let action, let id, let state):
            "cannot \(action) job '\(id)': it is \(state); \(action) takes \(action.acceptedStatesText) "
                + "(\(action.advice(for: state))); nothing was changed"
        case .unresolvedDependency(let message): message
        case .scheduleExists(let name):
            "a schedule named '\(name)' already exists; remove it first (queuectl schedule remove \(name))"
        case .scheduleNotFound(let name): "no schedule named '\(name)'; queuectl schedule list shows them"
        case .storeUnavailable(let message): message
        case .operationFailed(let message): message
        }
    }
}
