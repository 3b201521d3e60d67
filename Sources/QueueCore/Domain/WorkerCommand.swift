/// What a worker is told at its heartbeat.
public enum WorkerCommand: String, Sendable, Equatable {
    /// Keep going.
    case run
    /// Take no new job, finish the running ones, exit.
    case drain
    /// Kill running jobs, put them back as pending (not counted), exit.
    case abort
}
