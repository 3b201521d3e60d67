/// Runs one store query at a time for any number of callers: a caller that arrives while the query runs
/// waits for that run's answer instead of starting another. Under many concurrent page refreshes and scrapes
/// the store sees one query per round trip rather than one per request, and no answer is older than the
/// moment its caller arrived minus one query's duration.
actor SharedQuery<Value: Sendable> {
    private let query: @Sendable () async throws -> Value
    private var running: Task<Value, any Error>?

    init(_ query: @escaping @Sendable () async throws -> Value) {
        self.query = query
    }

    /// The answer of the run in progress, or of a new run when none is.
    func value() async throws -> Value {
        if let running { return try await running.value }
        let task = Task { try await query() }
        running = task
        defer { running = nil }
        return try await task.value
    }
}
