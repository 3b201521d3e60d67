import QueueCore

/// The store's summary numbers (counts per state and workers, run counters), each fetched by one shared
/// query for all requests that ask at the same time (`/api/status`, `/metrics`).
struct SnapshotCache: Sendable {
    private let countsQuery: SharedQuery<QueueCounts>
    private let countersQuery: SharedQuery<[String: Double]>

    init(store: any JobStore, clock: any TimeSource) {
        countsQuery = SharedQuery { try await store.counts(now: clock.now()) }
        countersQuery = SharedQuery { try await store.counters() }
    }

    /// Jobs per state and live workers.
    func counts() async throws -> QueueCounts { try await countsQuery.value() }

    /// The run counters (`RunMetrics` names).
    func counters() async throws -> [String: Double] { try await countersQuery.value() }
}
