extension QueueError {
    /// `schedule add` of a name that is taken (exit 1).
    public static func scheduleExists(_ name: ScheduleName) -> QueueError {
        .operationFailed("a schedule named '\(name)' already exists; remove it first (queuectl schedule remove \(name))")
    }

    /// `schedule remove` of a name no schedule has (exit 1).
    public static func scheduleNotFound(_ name: ScheduleName) -> QueueError {
        .operationFailed("no schedule named '\(name)'; queuectl schedule list shows them")
    }

    /// A store without schedules (exit 1).
    public static let schedulesUnsupported = QueueError.operationFailed("this store does not keep schedules")
}
