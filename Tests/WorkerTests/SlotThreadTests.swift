import Foundation
import QueueCore
import QueueTestSupport
import Testing

@Suite("Slot threads")
struct SlotThreadTests {
    @Test("on a store that answers on the calling thread, each slot writes its results from a thread of its own, gone once the workers stop")
    func slotsOwnThreads() async throws {
        let fixture = try await WorkerFixture(.sqlite)
        let store = ThreadRecordingStore(try await fixture.openStore())
        // Long enough that both slots get a job from the first claim, and the next ones from their own results.
        try await fixture.store.enqueue((1...6).map { makeJob("job-\($0)", command: "sleep 0.2", createdAt: Date()) })
        let workers = try await RunningWorkers.start(store: store, home: fixture.home, count: 2)
        let drained = try await eventually(timeout: .seconds(120)) {
            try await fixture.store.counts(now: Date()).completed == 6
        }
        try await workers.stop()
        #expect(drained)
        let calls = store.calls
        #expect(calls.count == 6)
        #expect(calls.allSatisfy { $0.dedicated })
        let threadsBySlot = Dictionary(grouping: calls, by: \.worker).mapValues { Set($0.map(\.thread)) }
        #expect(threadsBySlot.count == 2)
        #expect(threadsBySlot.values.allSatisfy { $0.count == 1 })
        let threads = Set(calls.compactMap(\.thread))
        #expect(threads.count == 2)
        let ended = try await eventually(timeout: .seconds(30)) { !threads.contains(where: threadExists) }
        #expect(ended)
    }
}
