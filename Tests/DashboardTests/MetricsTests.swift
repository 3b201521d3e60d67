import Foundation
import Hummingbird
import HummingbirdTesting
import QueueCore
import QueueDashboard
import QueueTestSupport
import Testing

@Suite("Prometheus metrics")
struct MetricsTests {
    /// The value of the sample line `name` (with its labels) in `text`.
    static func sample(_ name: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }

    @Test("metrics reports jobs per state, workers, and the runs every worker recorded", arguments: TestBackend.all)
    func metrics(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.enqueue(makeJobs(2, createdAt: fixture.clock.now()))
        try await fixture.makeDeadJob("doomed")
        try await fixture.store.registerWorkers(
            [WorkerRegistration(id: "h:1:0", pid: 1, host: "h", processStart: 1, queues: [])], now: fixture.clock.now())
        try await fixture.test { client in
            let response = try await client.send(.get, "/metrics", token: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = response.text
            #expect(Self.sample(#"queuectl_jobs{state="pending"}"#, in: text) == 2)
            #expect(Self.sample(#"queuectl_jobs{state="dead"}"#, in: text) == 1)
            #expect(Self.sample(#"queuectl_jobs{state="completed"}"#, in: text) == 0)
            #expect(Self.sample("queuectl_workers", in: text) == 1)
            #expect(Self.sample(#"queuectl_runs_total{outcome="retried"}"#, in: text) == 0)
            #expect(Self.sample(#"queuectl_runs_total{outcome="dead"}"#, in: text) == 1)
            #expect(Self.sample(#"queuectl_runs_total{outcome="completed"}"#, in: text) == 0)
            #expect(Self.sample(#"queuectl_runs_total{outcome="snoozed"}"#, in: text) == 0)
            // The dead run took 2 s (the fixture's clock moved by 2) and waited 0 s to start.
            #expect(Self.sample(#"queuectl_run_duration_seconds_bucket{le="1"}"#, in: text) == 0)
            #expect(Self.sample(#"queuectl_run_duration_seconds_bucket{le="5"}"#, in: text) == 1)
            #expect(Self.sample(#"queuectl_run_duration_seconds_bucket{le="+Inf"}"#, in: text) == 1)
            #expect(Self.sample("queuectl_run_duration_seconds_sum", in: text) == 2)
            #expect(Self.sample("queuectl_run_duration_seconds_count", in: text) == 1)
            #expect(Self.sample(#"queuectl_pickup_delay_seconds_bucket{le="0.001"}"#, in: text) == 1)
            #expect(text.contains("# TYPE queuectl_run_duration_seconds histogram"))
            #expect(text.contains("# TYPE queuectl_runs_total counter"))
            #expect(text.contains("# TYPE queuectl_jobs gauge"))
        }
    }

    @Test("the run outcomes are a partition: they add up to the runs and to the run-duration count", arguments: TestBackend.all)
    func outcomesPartitionRuns(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.runOnce("ok-1", maxRetries: 0, outcome: .succeeded, expecting: .completed)
        try await fixture.runOnce("ok-2", maxRetries: 0, outcome: .succeeded, expecting: .completed)
        try await fixture.makeDeadJob("doomed")
        try await fixture.runOnce("stopped", maxRetries: 3, outcome: .cancelled, expecting: .cancelled)
        try await fixture.runOnce("flaky", maxRetries: 2, outcome: .exited(1), expecting: .failed)
        let snoozing = RetryPolicy(
            base: 2, maximum: 60, snooze: RetryPolicy.Snooze(exitCode: 75, delay: 10, maximum: 100))
        try await fixture.runOnce("sleepy", maxRetries: 0, outcome: .exited(75), expecting: .pending, policy: snoozing)
        try await fixture.test { client in
            let text = try await client.send(.get, "/metrics", token: nil).text
            let outcomes = ["completed", "retried", "dead", "snoozed", "cancelled"].map {
                Self.sample(#"queuectl_runs_total{outcome="\#($0)"}"#, in: text)
            }
            #expect(outcomes == [2, 1, 1, 1, 1])
            let labels = text.split(separator: "\n").filter { $0.hasPrefix("queuectl_runs_total{") }
            #expect(labels.count == 5, "\(labels)")
            #expect(Self.sample("queuectl_jobs_cancelled_total", in: text) == 1)
            #expect(Self.sample(#"queuectl_jobs{state="cancelled"}"#, in: text) == 1)
            let total = labels.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
            #expect(total == 6, "six runs ended, the outcomes add up to \(total)")
            #expect(Self.sample("queuectl_run_duration_seconds_count", in: text) == total)
        }
    }

    @Test("counters follow the store as more runs end, scrape after scrape", arguments: TestBackend.all)
    func countersGrow(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.test { client in
            let before = try await client.send(.get, "/metrics", token: nil).text
            #expect(Self.sample(#"queuectl_runs_total{outcome="dead"}"#, in: before) == 0)
            try await fixture.makeDeadJob("dead-1")
            try await fixture.makeDeadJob("dead-2")
            let after = try await client.send(.get, "/metrics", token: nil).text
            #expect(Self.sample(#"queuectl_runs_total{outcome="dead"}"#, in: after) == 2)
            #expect(Self.sample(#"queuectl_jobs{state="dead"}"#, in: after) == 2)
            let again = try await client.send(.get, "/metrics", token: nil).text
            #expect(Self.sample(#"queuectl_runs_total{outcome="dead"}"#, in: again) == 2)
        }
    }

    @Test("a second dashboard on the same store reports the same run counters", arguments: TestBackend.all)
    func sharedAcrossProcesses(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.makeDeadJob("doomed")
        let other = DashboardApp(
            store: fixture.store,
            configuration: DashboardConfiguration(port: 0, token: DashboardFixture.token, home: fixture.home),
            clock: fixture.clock)
        try await Application(router: other.router()).test(.router) { client in
            let text = try await client.send(.get, "/metrics", token: nil).text
            #expect(Self.sample(#"queuectl_runs_total{outcome="dead"}"#, in: text) == 1)
        }
    }
}
