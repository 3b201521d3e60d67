import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Migration 019: dependencies. Jobs written before it wait for nothing: they stay claimable (the rebuilt claim
/// and due indexes hold them), and the migrated store takes `after` at once.
@Suite("Migration 019, dependencies", .storeScope)
struct DependencyMigrationTests {
    @Test("jobs written before migration 019 wait for nothing and stay claimable; new ones can wait", arguments: TestBackend.all)
    func jobsSurvive(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        let before = try await backend.openScopedStore(url)
        try await before.enqueue([makeJob("old-1"), makeJob("old-2", runAt: testEpoch.addingTimeInterval(60))])
        try await backend.rollBack(url, to: 18)

        let after = try await backend.openScopedStore(url)
        #expect(try await after.jobs(JobFilter()).map(\.after) == [[], []])
        #expect(try await after.nextDueTime(queues: []) == testEpoch)
        var job = makeJob("new")
        job.after = [JobID(trusted: "old-2")]
        try await after.enqueue([job])
        let first = try await after.claimJobs(registering: ["w1", "w2"], now: testEpoch)
        #expect(first.map(\.id.rawValue) == ["old-1"])
        let later = try await after.claimJobs(registering: ["w3", "w4"], now: testEpoch.addingTimeInterval(60))
        #expect(later.map(\.id.rawValue) == ["old-2"])
        #expect(try await after.job(JobID(trusted: "new"))?.state == .pending)
    }
}
