import QueueWorker
import Synchronization
import Testing

/// The one "poll until, with steps at deadlines" of the supervisor and the stop operations.
@Suite("Observed wait")
struct ObservedWaitTests {
    @Test("a step acts once, at the first check after its time, with that check's observation; the wait ends when the condition holds")
    func stepActsOnceWithTheObservation() async throws {
        let checks = Mutex(0)
        let seen = Mutex<[Int]>([])
        var wait = ObservedWait<Int>(interval: .milliseconds(5))
        wait.step(after: .milliseconds(30)) { observation in seen.withLock { $0.append(observation) } }
        let finished = try await wait.run(
            observe: { checks.withLock { $0 += 1; return $0 } },
            until: { _ in seen.withLock { !$0.isEmpty } && checks.withLock { $0 } >= 20 })
        #expect(finished)
        let actions = seen.withLock { $0 }
        #expect(actions.count == 1)
        // Not at the first checks: only once its 30 ms had passed.
        #expect((actions.first ?? 0) > 1)
    }

    @Test("a repeating step acts at every check from its time on")
    func repeatingStep() async throws {
        let checks = Mutex(0)
        let actions = Mutex(0)
        var wait = ObservedWait<Int>(interval: .milliseconds(5))
        wait.step(after: .zero, repeats: true) { _ in actions.withLock { $0 += 1 } }
        try await wait.run(observe: { checks.withLock { $0 += 1; return $0 } }, until: { $0 == 6 })
        // Every check that was not done: 1 to 5.
        #expect(actions.withLock { $0 } == 5)
    }

    @Test("a wait whose condition never holds gives up at its deadline, after the steps due before it")
    func deadline() async throws {
        let clock = ContinuousClock()
        let began = clock.now
        let stepped = Mutex(false)
        var wait = ObservedWait<Void>(interval: .milliseconds(5))
        wait.step(after: .milliseconds(10)) { _ in stepped.withLock { $0 = true } }
        wait.step(after: .seconds(60)) { _ in Issue.record("a step after the deadline acted") }
        let finished = try await wait.run(deadline: .milliseconds(50), observe: {}, until: { false })
        #expect(!finished)
        #expect(stepped.withLock { $0 })
        #expect(clock.now - began >= .milliseconds(50))
        #expect(clock.now - began < .seconds(30))
    }

    @Test("a value found by the condition is returned; nil when the deadline passed")
    func result() async throws {
        let checks = Mutex(0)
        let wait = ObservedWait<Int>(interval: .milliseconds(1))
        let found = try await wait.result(
            observe: { checks.withLock { $0 += 1; return $0 } }, from: { $0 == 3 ? "third" : nil })
        #expect(found == "third")
        let none = try await wait.result(deadline: .milliseconds(10), observe: { 0 }, from: { _ -> String? in nil })
        #expect(none == nil)
    }
}
