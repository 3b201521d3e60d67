import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Stores that can wake idle workers do so for work created through another store instance.
@Suite("Wake-ups", .storeScope)
struct WakeupContractTests {
    /// Counts the wake-ups `source` delivers, in the background, until cancelled.
    private final class WakeupCounter: Sendable {
        let task: Task<Void, Never>
        let count = Counter()

        init(_ source: any JobWakeupSource) {
            let stream = source.wakeups()
            let count = count
            task = Task {
                for await _ in stream { count.increment() }
            }
        }

        deinit { task.cancel() }
    }

    @Test("an enqueue through another store instance wakes a listener", arguments: TestBackend.all)
    func enqueueWakes(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        guard let listener = try await backend.openScopedStore(url) as? any JobWakeupSource else { return }
        let counter = WakeupCounter(listener)
        let writer = try await backend.openScopedStore(url)

        // The listener may take a moment to subscribe: keep enqueueing until one wake-up arrives.
        var enqueued = 0
        let woke = try await eventually(timeout: .seconds(20), poll: .milliseconds(50)) {
            if counter.count.value > 0 { return true }
            enqueued += 1
            try await writer.enqueue([makeJob("wake-\(enqueued)")])
            return false
        }
        #expect(woke)
    }

    @Test("a stop request and a DLQ retry wake a listener", arguments: TestBackend.all)
    func stopAndRetryWake(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        guard let listener = try await backend.openScopedStore(url) as? any JobWakeupSource else { return }
        let writer = try await backend.openScopedStore(url)
        try await writer.enqueue([makeJob("d", maxRetries: 0)])
        let job = try #require(try await writer.claimJobs(registering: ["w"], queues: [], now: testEpoch).first)
        let result = RunResult(disposition: .dead, exitCode: 1, lastError: "x", finishedAt: testEpoch)
        #expect(try await writer.recordResult(result, of: try #require(JobClaim(job))))
        let counter = WakeupCounter(listener)

        var stops = 0
        #expect(
            try await eventually {
                if counter.count.value > 0 { return true }
                stops += 1
                try await writer.requestStop(.drain, host: "nowhere")
                return false
            })
        let seen = counter.count.value
        _ = try await writer.retryDeadJobs(.all, now: testEpoch)
        #expect(try await eventually { counter.count.value > seen })
    }
}
