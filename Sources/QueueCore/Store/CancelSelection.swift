/// What a `cancel` of `ids` does to each job, decided from the jobs' states as the store read them inside
/// its transaction: the store then applies it atomically. Pending and failed jobs are cancelled at once;
/// processing ones get a request for their worker; anything else refuses the whole cancel.
public struct CancelSelection: Sendable, Equatable {
    /// Jobs cancelled at once (pending or failed), in the order of the ids.
    public var waiting: [JobID]
    /// Jobs whose run their worker is asked to stop, in the order of the ids.
    public var running: [JobID]

    /// Decides for `ids` from `states` (job id → stored state name, for the jobs that exist). Throws
    /// `jobNotFound` for the first id without a state and `jobNotCancellable` for the first whose state cannot
    /// move to `cancelled`.
    public init(_ ids: [JobID], states: [String: String]) throws(QueueError) {
        waiting = []
        running = []
        for id in ids {
            guard let text = states[id.rawValue] else { throw .jobNotFound(id) }
            guard let state = JobState(rawValue: text) else {
                throw .operationFailed("queue database holds a job in unknown state '\(text)'")
            }
            guard state.canMove(to: .cancelled) else { throw .jobNotCancellable(id, state) }
            if state == .processing { running.append(id) } else { waiting.append(id) }
        }
    }
}
