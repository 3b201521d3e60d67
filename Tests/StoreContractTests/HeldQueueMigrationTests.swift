import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Migration 020: the indexes led by the queue (and PostgreSQL's `queuectl_due_heads`). Jobs written before it,
/// paused ones included, are in the rebuilt indexes: claims and `nextDueTime` find them, and skip the paused queue.
@Suite("Migration 020, held queue indexes", .storeScope)
struct HeldQueueMigrationTests {
    @Test("jobs written before migration 020 are claimed around a paused queue after it, and it can be undone and redone", arguments: TestBackend.all)
    func jobsSurvive(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        let before = try await backend.openScopedStore(url)
        let control = try #require(before as? any QueueControlStore)
        _ = try await control.setPaused(true, queues: .named(["paused"]), now: testEpoch)
        try await before.enqueue([
            makeJob("p-1", priority: 5, queue: "paused"), makeJob("old-1", queue: "a"),
            makeJob("old-2", priority: 1, runAt: testEpoch.addingTimeInterval(60), queue: "b"),
        ])
        try await backend.rollBack(url, to: 19)

        let after = try await backend.openScopedStore(url)
        #expect(try await after.nextDueTime(queues: []) == testEpoch)
        #expect(try await after.claimJobs(registering: ["w1", "w2"], now: testEpoch).map(\.id.rawValue) == ["old-1"])
        #expect(try await after.nextDueTime(queues: []) == testEpoch.addingTimeInterval(60))
        // The undo drops what 020 made, so it fails unless the reopen applied 020 again.
        try await backend.rollBack(url, to: 19)
        let again = try await backend.openScopedStore(url)
        #expect(try await again.claimJobs(registering: ["w3", "w4"], now: testEpoch.addingTimeInterval(60)).map(\.id.rawValue) == ["old-2"])
    }
}
