/// Runs one store query at a time for any number of callers: a caller that arrives while the query runs
/// waits for that run's answer instead of starting another. Under many concurrent page refreshes and scrapes
/// the store sees one query per round trip rather than one per request, and no answer is older than the
/// moment its caller arrived minus one query's duration.
///
/// A query that scans every job (`SnapshotCache`) can instead reuse its answer for a while, in proportion to what
/// it costs (`reuse`): the answer is served as it is while younger than `reuse` times the run that made it took,
/// then, up to twice that age, still served while a new run starts beside it; an answer older than that is never
/// served, the caller waits for a new run. So the scan takes at most about 1/`reuse` of the process's time however
/// often it is asked, and no answer is older than 2 × `reuse` runs: at 100,000 jobs (a 44 ms scan on SQLite) and
/// `reuse` 10, under a second. An answer whose run took less than `minimumCost` is not reused at all: a cheap
/// query (a small queue, or SQLite's stored counts) is always as fresh as without reuse.
actor SharedQuery<Value: Sendable> {
    private let query: @Sendable () async throws -> Value
    private let reuse: Int
    private let minimumCost: Duration
    private var running: Task<Value, any Error>?
    /// The newest answer, when it was made and how long its run took (kept only with `reuse`).
    private var latest: (value: Value, madeAt: ContinuousClock.Instant, took: Duration)?
    private let clock = ContinuousClock()

    /// `reuse` 0: every caller gets a run in progress or a new one.
    init(reuse: Int = 0, minimumCost: Duration = .zero, _ query: @escaping @Sendable () async throws -> Value) {
        self.reuse = reuse
        self.minimumCost = minimumCost
        self.query = query
    }

    /// The answer of the run in progress, of a new run when none is, or (with `reuse`) a recent one.
    func value() async throws -> Value {
        if let latest, latest.took >= minimumCost {
            let age = clock.now - latest.madeAt
            if age < latest.took * reuse { return latest.value }
            if age < latest.took * (2 * reuse) {
                if running == nil { _ = start() }
                return latest.value
            }
        }
        return try await (running ?? start()).value
    }

    private func start() -> Task<Value, any Error> {
        let task = Task { try await self.run() }
        running = task
        return task
    }

    private func run() async throws -> Value {
        defer { running = nil }
        let started = clock.now
        let value = try await query()
        let finished = clock.now
        if reuse > 0 { latest = (value, finished, finished - started) }
        return value
    }
}
