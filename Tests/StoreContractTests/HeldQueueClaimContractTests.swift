import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Claims and `nextDueTime` around held (paused or full) queues (migration 020): they visit the queues that are not
/// held instead of stepping over the held ones' jobs, and must keep the contract's order across the queues they
/// visit, a worker's `--queue` list, batch claims and limits. Many held jobs sit ahead in claim order, so a claim
/// that read them in order would have to skip them all.
@Suite("Claims around held queues", .storeScope)
struct HeldQueueClaimContractTests {
    /// `store` as a `QueueControlStore`.
    private func control(_ store: any JobStore) throws -> any QueueControlStore {
        try #require(store as? any QueueControlStore)
    }

    /// Which queues a test's store holds.
    enum HeldQueues: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// A paused queue and a full one (a limit: SQLite's claim counts each limited queue's room).
        case pausedAndFull
        /// A paused queue only, with no limit anywhere (SQLite's claim for pauses only).
        case pausedOnly

        var testDescription: String { rawValue }
    }

    /// A store with `paused` (paused, 30 jobs at priority 9) and, unless `held` is `pausedOnly`, `narrow` (limit
    /// 1, one of its two jobs at priority 8 running), both ahead in claim order, and three open queues whose jobs
    /// interleave in claim order: b-1, a-1 (priority 1, due at +1 s and +2 s), a-2, c-1 (priority 0, due at +0 s,
    /// enqueued in that order), b-2 (priority 0, due at +1 s).
    private func storeWithHeldQueues(_ backend: TestBackend, held: HeldQueues) async throws -> any JobStore {
        let store = try await backend.scopedStore()
        let queues = try control(store)
        _ = try await queues.setPaused(true, queues: .named(["paused"]), now: testEpoch)
        try await store.enqueue((1...30).map { makeJob("p-\($0)", priority: 9, queue: "paused") })
        if held == .pausedAndFull {
            try await queues.setLimit(1, queue: "narrow", now: testEpoch)
            try await store.enqueue((1...2).map { makeJob("n-\($0)", priority: 8, queue: "narrow") })
            #expect(try await store.claimJobs(registering: ["runner"], queues: ["narrow"], now: testEpoch).map(\.id.rawValue) == ["n-1"])
        }
        try await store.enqueue([
            makeJob("a-1", priority: 1, runAt: testEpoch.addingTimeInterval(2), queue: "a"),
            makeJob("b-1", priority: 1, runAt: testEpoch.addingTimeInterval(1), queue: "b"),
            makeJob("a-2", queue: "a"), makeJob("c-1", queue: "c"),
            makeJob("b-2", runAt: testEpoch.addingTimeInterval(1), queue: "b"),
        ])
        return store
    }

    @Test("a batch claim takes the open queues' jobs in contract order, several from one queue, none held", arguments: TestBackend.all, HeldQueues.allCases)
    func batchOrderAcrossOpenQueues(backend: TestBackend, held: HeldQueues) async throws {
        let store = try await storeWithHeldQueues(backend, held: held)
        let now = testEpoch.addingTimeInterval(10)
        let first = try await store.claimJobs(registering: ["w1", "w2", "w3"], now: now)
        #expect(first.map(\.id.rawValue) == ["b-1", "a-1", "a-2"])
        let second = try await store.claimJobs(registering: ["w4", "w5", "w6"], now: now)
        #expect(second.map(\.id.rawValue) == ["c-1", "b-2"])
        #expect(try await store.claimJobs(registering: ["w7"], now: now).isEmpty)
    }

    @Test("one slot at a time follows the same order; a job not yet due waits its turn", arguments: TestBackend.all, HeldQueues.allCases)
    func singleSlotOrder(backend: TestBackend, held: HeldQueues) async throws {
        let store = try await storeWithHeldQueues(backend, held: held)
        // At +1.5 s a-1 (due at +2 s) is not due: the others come first, in order.
        let early = testEpoch.addingTimeInterval(1.5)
        var taken: [String] = []
        for slot in 1...4 {
            taken += try await store.claimJobs(registering: ["s\(slot)"], now: early).map(\.id.rawValue)
        }
        #expect(taken == ["b-1", "a-2", "c-1", "b-2"])
        #expect(try await store.claimJobs(registering: ["s5"], now: early).isEmpty)
        #expect(try await store.claimJobs(registering: ["s6"], now: testEpoch.addingTimeInterval(2)).map(\.id.rawValue) == ["a-1"])
    }

    @Test("a worker serving some queues gets their jobs in order, and nothing from the held ones it serves", arguments: TestBackend.all, HeldQueues.allCases)
    func listedQueues(backend: TestBackend, held: HeldQueues) async throws {
        let store = try await storeWithHeldQueues(backend, held: held)
        let now = testEpoch.addingTimeInterval(10)
        let claimed = try await store.claimJobs(
            registering: ["w1", "w2", "w3", "w4"], queues: ["paused", "narrow", "c", "a", "a"], now: now)
        #expect(claimed.map(\.id.rawValue) == ["a-1", "a-2", "c-1"])
        #expect(try await store.claimJobs(registering: ["w5"], queues: ["paused", "narrow"], now: now).isEmpty)
    }

    @Test("resuming a queue puts its jobs back ahead in claim order", arguments: TestBackend.all, HeldQueues.allCases)
    func resumedQueueComesFirst(backend: TestBackend, held: HeldQueues) async throws {
        let store = try await storeWithHeldQueues(backend, held: held)
        _ = try await control(store).setPaused(false, queues: .named(["paused"]), now: testEpoch)
        let claimed = try await store.claimJobs(registering: ["w1", "w2"], now: testEpoch.addingTimeInterval(10))
        #expect(claimed.map(\.id.rawValue) == ["p-1", "p-2"])
    }

    @Test("the next due time is the earliest among queues that are not held, whatever the held ones hold", arguments: TestBackend.all)
    func nextDueTimeSkipsHeldQueues(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let queues = try control(store)
        _ = try await queues.setPaused(true, queues: .named(["paused"]), now: testEpoch)
        try await queues.setLimit(1, queue: "narrow", now: testEpoch)
        try await store.enqueue(
            [makeJob("n-1", queue: "narrow"), makeJob("n-2", runAt: testEpoch.addingTimeInterval(5), queue: "narrow")]
                + (1...10).map { makeJob("p-\($0)", runAt: testEpoch.addingTimeInterval(Double($0)), queue: "paused") }
                + [
                    makeJob("late", runAt: testEpoch.addingTimeInterval(60), queue: "late"),
                    makeJob("later", runAt: testEpoch.addingTimeInterval(90), queue: "later"),
                ])
        #expect(try await store.claimJobs(registering: ["runner"], queues: ["narrow"], now: testEpoch).map(\.id.rawValue) == ["n-1"])

        #expect(try await store.nextDueTime(queues: []) == testEpoch.addingTimeInterval(60))
        #expect(try await store.nextDueTime(queues: ["later", "paused"]) == testEpoch.addingTimeInterval(90))
        #expect(try await store.nextDueTime(queues: ["paused", "narrow"]) == nil)
        _ = try await queues.setPaused(false, queues: .named(["paused"]), now: testEpoch)
        #expect(try await store.nextDueTime(queues: []) == testEpoch.addingTimeInterval(1))
    }
}
