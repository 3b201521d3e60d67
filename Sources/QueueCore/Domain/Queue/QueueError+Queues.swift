extension QueueError {
    /// A store that does not keep queue settings (exit 1).
    public static let queuesUnsupported = QueueError.operationFailed("this store does not keep queue settings")
}
