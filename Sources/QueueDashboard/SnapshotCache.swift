import QueueCore
import QueueOperations

/// The store's summary numbers (counts per state and workers, run counters), each fetched by one shared
/// query for all requests that ask at the same time (`/api/status`, `/metrics`).
struct SnapshotCache: Sendable {
    private let countsQuery: SharedQuery<QueueCounts>
    private let countersQuery: SharedQuery<[String: Double]>

    init(operations: Operations) {
        countsQuery = SharedQuery { try await operations.counts() }
        countersQuery = SharedQuery { try await operations.store.counters() }
    }

    /// Jobs per state and live workers.
    func counts() async throws -> QueueCounts { try await countsQuery.value() }

    /// The run counters (`RunMetrics` names).
    func counters() async throws -> [String: Double] { try await countersQuery.value() }
}
