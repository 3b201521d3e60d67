import CoreMetrics
import Metrics
import Foundation
import Prometheus
import QueueCore
import Synchronization

/// The queue's numbers in Prometheus text format. Job and worker gauges and the run counters go through
/// swift-metrics into a swift-prometheus registry; their values come from the store at each scrape, so every
/// process that serves `/metrics` reports what every worker did (workers add to the store's counters in the
/// same transaction as each run result).
///
/// The two histograms are rendered directly from the store's cumulative buckets: swift-prometheus histograms
/// can only observe single values, and replaying the stored buckets as observations would cost one call per
/// run ever made and lose the exact sum.
public final class StoreMetrics: Sendable {
    /// The registry the gauges and counters live in (the one `MetricsSystem` may be bootstrapped with).
    public let registry: PrometheusCollectorRegistry
    private let jobGauges: [(JobState, Meter)]
    private let workerGauge: Meter
    private let runCounters: [(key: String, counter: CoreMetrics.Counter)]
    /// Jobs that ended cancelled (`RunMetrics.jobsCancelled`), waiting ones included.
    private let cancelledCounter: CoreMetrics.Counter
    /// Counter values already added to the registry, so each scrape adds only what the store gained since.
    private let exported = Mutex<[String: Int64]>([:])

    /// Creates the metrics in `factory`'s registry (a fresh one per dashboard in tests, the bootstrapped one in
    /// the `dashboard` command).
    public init(factory: PrometheusMetricsFactory = PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())) {
        registry = factory.registry
        jobGauges = JobState.allCases.map { state in
            (state, Meter(label: "queuectl_jobs", dimensions: [("state", state.rawValue)], factory: factory))
        }
        workerGauge = Meter(label: "queuectl_workers", dimensions: [], factory: factory)
        // One label per way a run ends, each run under exactly one: the outcomes add up to the runs.
        runCounters = [
            ("completed", RunMetrics.runsCompleted), ("retried", RunMetrics.runsRetried), ("dead", RunMetrics.runsDead),
            ("snoozed", RunMetrics.runsSnoozed), ("cancelled", RunMetrics.runsCancelled),
        ].map { outcome, key in
            (key, CoreMetrics.Counter(label: "queuectl_runs_total", dimensions: [("outcome", outcome)], factory: factory))
        }
        cancelledCounter = CoreMetrics.Counter(label: "queuectl_jobs_cancelled_total", dimensions: [], factory: factory)
    }

    /// Metrics in a registry that is also bootstrapped as the process's `MetricsSystem` backend, so anything
    /// else in the process that records through swift-metrics shows up at `/metrics` too. `MetricsSystem` may be
    /// bootstrapped once per process: later calls return metrics in a fresh registry instead.
    public static func bootstrapped() -> StoreMetrics {
        let factory = PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())
        let (exchanged, _) = bootstrappedOnce.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        if exchanged { MetricsSystem.bootstrap(factory) }
        return StoreMetrics(factory: factory)
    }

    private static let bootstrappedOnce = Atomic<Bool>(false)

    /// The histograms served, by exported name and the store's counter prefix.
    static let histograms: [(name: String, key: String, help: String)] = [
        ("queuectl_run_duration_seconds", RunMetrics.runDuration, "How long runs took, in seconds."),
        ("queuectl_pickup_delay_seconds", RunMetrics.pickupDelay, "How long due jobs waited for a worker, in seconds."),
    ]

    /// The exposition text for these counts, store counters and queues.
    public func render(counts: QueueCounts, counters: [String: Double], queues: [QueueDocument] = []) -> String {
        for (state, gauge) in jobGauges { gauge.set(counts[state]) }
        workerGauge.set(counts.workers)
        exported.withLock { exported in
            for (key, counter) in runCounters + [(RunMetrics.jobsCancelled, cancelledCounter)] {
                let total = Int64((counters[key] ?? 0).rounded())
                let gained = total - exported[key, default: 0]
                if gained > 0 {
                    counter.increment(by: gained)
                    exported[key] = total
                }
            }
        }
        var text = registry.emitToString()
        for histogram in Self.histograms {
            Self.renderHistogram(histogram.name, key: histogram.key, help: histogram.help, counters: counters, into: &text)
        }
        Self.renderQueues(queues.map(\.queue), into: &text)
        return text
    }

    /// The per-queue gauges, rendered directly like the histograms: queues come and go, and a registry gauge
    /// would keep reporting a queue that no longer exists. Queue names are letters, digits, `.`, `_` and `-`
    /// (`JobSpec.isValidQueueName`), so label values need no escaping.
    private static func renderQueues(_ queues: [QueueRecord], into text: inout String) {
        text += "# HELP queuectl_queue_jobs Jobs per queue and state.\n# TYPE queuectl_queue_jobs gauge\n"
        for queue in queues {
            for state in JobState.allCases {
                text += "queuectl_queue_jobs{queue=\"\(queue.name)\",state=\"\(state.rawValue)\"} \(queue.counts[state])\n"
            }
        }
        text += "# HELP queuectl_queue_paused Whether the queue is paused (1) or not (0).\n# TYPE queuectl_queue_paused gauge\n"
        for queue in queues { text += "queuectl_queue_paused{queue=\"\(queue.name)\"} \(queue.paused ? 1 : 0)\n" }
        text += "# HELP queuectl_queue_limit Most jobs of the queue processing at once; 0 = no limit.\n"
        text += "# TYPE queuectl_queue_limit gauge\n"
        for queue in queues { text += "queuectl_queue_limit{queue=\"\(queue.name)\"} \(queue.limit)\n" }
    }

    private static func renderHistogram(
        _ name: String, key: String, help: String, counters: [String: Double], into text: inout String
    ) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        for (bound, count) in RunMetrics.cumulativeBuckets(key, in: counters) {
            text += "\(name)_bucket{le=\"\(bound.plainText)\"} \(count.plainText)\n"
        }
        let count = counters["\(key)_count"] ?? 0
        text += "\(name)_bucket{le=\"+Inf\"} \(count.plainText)\n"
        text += "\(name)_sum \((counters["\(key)_sum"] ?? 0).plainText)\n"
        text += "\(name)_count \(count.plainText)\n"
    }
}
