import QueueCore
import QueueOperations

/// The store's summary numbers (counts per state and workers, run counters, queues), each fetched by one shared
/// query for all requests that ask at the same time (`/api/status`, `/metrics`).
struct SnapshotCache: Sendable {
    private let countsQuery: SharedQuery<QueueCounts>
    private let countersQuery: SharedQuery<[String: Double]>
    private let queuesQuery: SharedQuery<[QueueDocument]>

    init(operations: Operations) {
        countsQuery = SharedQuery { try await operations.counts() }
        countersQuery = SharedQuery { try await operations.store.counters() }
        // Jobs per queue and state is a scan of every job (44 ms at 100,000 on SQLite, which put `/metrics` at a
        // p99 of 65 ms under `bench/dashboard.sh`): an answer that took 5 ms or more is reused in proportion to its
        // cost (`SharedQuery`). A store without queue settings (a test double) has no per-queue numbers to export.
        queuesQuery = SharedQuery(reuse: 10, minimumCost: .milliseconds(5)) {
            operations.store is any QueueControlStore ? try await operations.queues() : []
        }
    }

    /// Jobs per state and live workers.
    func counts() async throws -> QueueCounts { try await countsQuery.value() }

    /// The run counters (`RunMetrics` names).
    func counters() async throws -> [String: Double] { try await countersQuery.value() }

    /// Every queue with its jobs per state and settings (`/metrics` per queue); when counting them takes 5 ms or
    /// more, up to 20 countings old.
    func queues() async throws -> [QueueDocument] { try await queuesQuery.value() }
}
