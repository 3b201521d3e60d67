/// One dependency of a job as `show` and the dashboard present it: which job, its state now, and whether the
/// job still waits for it (`JobDependencies.statuses`).
public struct JobDependencyStatus: Sendable, Equatable {
    /// The dependency's id.
    public let id: JobID
    /// Its state now; nil once it was removed.
    public let state: JobState?
    /// Whether the job still waits for it (it has not completed yet).
    public let isWaitedFor: Bool

    public init(id: JobID, state: JobState?, isWaitedFor: Bool) {
        self.id = id
        self.state = state
        self.isWaitedFor = isWaitedFor
    }
}
