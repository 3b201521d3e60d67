import QueueCore
import Testing

/// Which named dead jobs `dlq retry` may move, decided before the store moves any.
@Suite("Dead job selection")
struct DeadJobSelectionTests {
    static func id(_ text: String) -> JobID { JobID(trusted: text) }

    @Test("named ids are taken once each, in the order given; all names none")
    func requestedIDs() {
        #expect(DeadJobSelection.all.requestedIDs == nil)
        #expect(DeadJobSelection.jobs([Self.id("b"), Self.id("a"), Self.id("b")]).requestedIDs == [Self.id("b"), Self.id("a")])
    }

    @Test("every named job dead: nothing to object")
    func allDead() throws {
        try DeadJobSelection.checkRetryable([Self.id("a"), Self.id("b")], states: [Self.id("a"): .dead, Self.id("b"): .dead])
    }

    @Test("the first missing or not-dead id is named, in the order given")
    func firstProblem() {
        let states: [JobID: JobState] = [Self.id("dead"): .dead, Self.id("running"): .processing]
        #expect(throws: QueueError.jobNotFound(Self.id("gone"))) {
            try DeadJobSelection.checkRetryable([Self.id("dead"), Self.id("gone"), Self.id("running")], states: states)
        }
        #expect(throws: QueueError.jobNotDead(Self.id("running"), .processing)) {
            try DeadJobSelection.checkRetryable([Self.id("dead"), Self.id("running"), Self.id("gone")], states: states)
        }
    }
}
