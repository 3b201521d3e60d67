import QueueCore

/// How a run handed to `JobRunner` ended, from the worker's point of view.
public enum RunEnd: Sendable, Equatable {
    /// The run ended by itself (or by its timeout); the retry rules apply to the outcome.
    case finished(RunOutcome)
    /// A stop with a deadline killed the run; the job goes back to pending, not counted.
    case aborted
}
