/// The numbers `status` shows (as JSON: `StatusDocument`).
public struct QueueCounts: Sendable, Equatable {
    public var pending = 0
    public var processing = 0
    public var completed = 0
    public var failed = 0
    public var dead = 0
    /// Jobs stopped by `cancel`.
    public var cancelled = 0
    /// Workers with a live lease.
    public var workers = 0

    public init(
        pending: Int = 0, processing: Int = 0, completed: Int = 0, failed: Int = 0, dead: Int = 0, cancelled: Int = 0,
        workers: Int = 0
    ) {
        self.pending = pending
        self.processing = processing
        self.completed = completed
        self.failed = failed
        self.dead = dead
        self.cancelled = cancelled
        self.workers = workers
    }

    /// The count for `state`.
    public subscript(state: JobState) -> Int {
        get {
            switch state {
            case .pending: pending
            case .processing: processing
            case .completed: completed
            case .failed: failed
            case .dead: dead
            case .cancelled: cancelled
            }
        }
        set {
            switch state {
            case .pending: pending = newValue
            case .processing: processing = newValue
            case .completed: completed = newValue
            case .failed: failed = newValue
            case .dead: dead = newValue
            case .cancelled: cancelled = newValue
            }
        }
    }
}
