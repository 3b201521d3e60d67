/// An optional power, like `JobWakeupSource`: a store whose queries answer on executors of its own (the
/// PostgreSQL store: the event loops of its connections), where tasks that mostly wait on it run best.
/// A store that answers on the calling thread (SQLite) does not conform: anywhere is as good.
public protocol TaskExecutorPreference: Sendable {
    /// The executors to spread such tasks over (empty: anywhere).
    var preferredTaskExecutors: [any TaskExecutor] { get }
}

extension TaskExecutorPreference {
    /// The preferred executor of the `index`th of several concurrent tasks (a worker's slots): the
    /// preferred executors in turn; nil (anywhere) when there are none.
    public func preferredTaskExecutor(forTask index: Int) -> (any TaskExecutor)? {
        let executors = preferredTaskExecutors
        return executors.isEmpty ? nil : executors[index % executors.count]
    }
}
