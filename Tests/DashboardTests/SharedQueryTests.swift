import Foundation
import Synchronization
import Testing

@testable import QueueDashboard

/// `SharedQuery`: concurrent callers share one run; with `reuse`, an answer is served again only while it is
/// young in proportion to what its run cost, so a scan of every job cannot take the dashboard's time however
/// often `/metrics` is scraped, and a scrape after a quiet spell sees a new answer.
@Suite("Shared store queries")
struct SharedQueryTests {
    /// A query taking `duration` that answers how many times it has run.
    private final class CountingQuery: Sendable {
        let runs = Atomic<Int>(0)
        let duration: Duration

        init(taking duration: Duration) { self.duration = duration }

        @Sendable func run() async throws -> Int {
            try await Task.sleep(for: duration)
            return runs.add(1, ordering: .sequentiallyConsistent).newValue
        }
    }

    @Test("concurrent callers share one run; without reuse the next caller gets a new run")
    func sharedRuns() async throws {
        let counting = CountingQuery(taking: .milliseconds(50))
        let shared = SharedQuery(counting.run)
        async let first = shared.value()
        async let second = shared.value()
        #expect(try await [first, second] == [1, 1])
        #expect(try await shared.value() == 2)
    }

    @Test("with reuse, a young answer is served again, and one older than twice the reuse never is")
    func reusedWhileYoung() async throws {
        let counting = CountingQuery(taking: .milliseconds(20))
        let shared = SharedQuery(reuse: 10, counting.run)
        let clock = ContinuousClock()
        let started = clock.now
        #expect(try await shared.value() == 1)
        let took = clock.now - started
        // Right after: well inside 10 runs' time.
        #expect(try await shared.value() == 1)
        #expect(counting.runs.load(ordering: .sequentiallyConsistent) == 1)
        // After more than 20 runs' time (measured from outside, so at least the run's own): a new run, awaited.
        try await Task.sleep(for: took * 25)
        #expect(try await shared.value() == 2)
    }

    @Test("an answer cheaper than the minimum cost is never reused")
    func cheapAnswersAreFresh() async throws {
        let counting = CountingQuery(taking: .milliseconds(5))
        let shared = SharedQuery(reuse: 10, minimumCost: .seconds(5), counting.run)
        #expect(try await shared.value() == 1)
        #expect(try await shared.value() == 2)
    }
}
