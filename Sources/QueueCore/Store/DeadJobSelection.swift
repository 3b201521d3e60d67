/// Which dead jobs `dlq retry` moves back.
public enum DeadJobSelection: Sendable, Equatable {
    /// Every dead job.
    case all
    /// These jobs, each of which must be dead.
    case jobs([JobID])
}
