extension QueueError {
    /// A store without schedules (exit 1).
    public static let schedulesUnsupported = QueueError.operationFailed("this store does not keep schedules")
}
