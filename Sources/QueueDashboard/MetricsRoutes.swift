import Hummingbird
import QueueCore

/// `GET /metrics`: the queue's numbers in Prometheus text format (see `StoreMetrics`).
struct MetricsRoutes: Sendable {
    /// The exporter holding the registry.
    let metrics: StoreMetrics
    /// Shares one store query among concurrent scrapes and page refreshes.
    let snapshots: SnapshotCache

    /// `GET /metrics`.
    func endpoints<Context: RequestContext>() -> [Endpoint<Context>] {
        [Endpoint(.get, "/metrics") { _, _ in try await scrape() }]
    }

    /// One scrape: the store's current counts and counters, rendered.
    func scrape() async throws -> Response {
        async let counts = snapshots.counts()
        async let counters = snapshots.counters()
        async let queues = snapshots.queues()
        let text = metrics.render(counts: try await counts, counters: try await counters, queues: try await queues)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
