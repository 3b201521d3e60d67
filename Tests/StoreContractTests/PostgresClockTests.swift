import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// The PostgreSQL store as hosts use it: with the server's clock, hosts whose clocks are skewed still
/// agree on which jobs are due and which leases have lapsed.
@Suite("PostgreSQL: the server's clock", .storeScope, .enabled(if: TestBackend.all.contains(.postgres)))
struct PostgresClockTests {
    private func openStore() async throws -> any JobStore {
        let url = try await TestBackend.postgres.scopedDatabaseURL()
        return try StoreScope.adopt(try await TestBackend.openPostgresStoreWithServerClock(url))
    }

    @Test("a host whose clock runs an hour ahead cannot claim a job due in ten minutes")
    func aheadHostWaits() async throws {
        let store = try await openStore()
        let now = Date()
        try await store.enqueue([makeJob("later", runAt: now.addingTimeInterval(600), createdAt: now)])
        #expect(try await store.claimJobs(registering: ["ahead"], queues: [], now: now.addingTimeInterval(3600)).isEmpty)
        let due = try #require(try await store.nextDueTime(queues: []))
        #expect(abs(due.timeIntervalSince(now) - 600) < 30)
    }

    @Test("a job enqueued to run now by a host an hour ahead is claimable at once")
    func aheadHostEnqueuesNow() async throws {
        let store = try await openStore()
        let ahead = Date().addingTimeInterval(3600)
        try await store.enqueue([makeJob("now", createdAt: ahead)])
        let claimed = try await store.claimJobs(registering: ["w"], queues: [], now: Date())
        #expect(claimed.map(\.id.rawValue) == ["now"])
        let started = try #require(claimed.first?.startedAt)
        #expect(abs(started.timeIntervalSinceNow) < 30, "started_at comes from the server's clock")
    }

    @Test("a job enqueued to run now by a host an hour behind does not jump ahead of earlier jobs")
    func behindHostKeepsOrder() async throws {
        let store = try await openStore()
        try await store.enqueue([makeJob("first", createdAt: Date())])
        try await store.enqueue([makeJob("second", createdAt: Date().addingTimeInterval(-3600))])
        let claimed = try await store.claimJobs(registering: ["w1", "w2"], queues: [], now: Date())
        #expect(claimed.map(\.id.rawValue) == ["first", "second"])
        let second = try #require(try await store.job(JobID(trusted: "second")))
        #expect(abs(second.createdAt.timeIntervalSinceNow) < 30, "created_at comes from the server's clock")
    }

    @Test("a heartbeat from a host an hour behind keeps its worker and its job alive")
    func behindHostKeepsLease() async throws {
        let store = try await openStore()
        let behind = Date().addingTimeInterval(-3600)
        let ahead = Date().addingTimeInterval(3600)
        try await store.registerWorkers(
            [WorkerRegistration(id: "slow-1", pid: 42, host: "slow", processStart: 1, queues: [])], now: behind)
        try await store.enqueue([makeJob("held", createdAt: behind)])
        #expect(try await store.claimJobs(for: ["slow-1"], queues: [], now: behind).count == 1)
        _ = try await store.heartbeat(["slow-1"], now: behind)
        #expect(try await store.counts(now: ahead).workers == 1)
        #expect(try await store.jobsOfLostWorkers(now: ahead, leaseTimeout: 30).isEmpty)
    }

    @Test("a retry is due its backoff after the server's now, whatever the caller's clock")
    func retryFromServerNow() async throws {
        let store = try await openStore()
        try await store.enqueue([makeJob("flaky", createdAt: Date())])
        let job = try #require(try await store.claimJobs(registering: ["w"], queues: [], now: Date()).first)
        let skewed = Date().addingTimeInterval(-7200)
        let result = RunResult(
            disposition: .retry(at: skewed.addingTimeInterval(60)), exitCode: 1, lastError: "exited with code 1",
            finishedAt: skewed)
        #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
        let stored = try #require(try await store.job(job.id))
        #expect(stored.state == .failed)
        #expect(abs(stored.runAt.timeIntervalSinceNow - 60) < 30)
        #expect(try await store.claimJobs(registering: ["w"], queues: [], now: Date().addingTimeInterval(7200)).isEmpty)
    }

    @Test("eight processes opening a fresh database at once migrate it once and share one queue")
    func concurrentMigration() async throws {
        let url = try await TestBackend.postgres.scopedDatabaseURL()
        let stores = try await withThrowingTaskGroup(of: (any JobStore).self) { group in
            for _ in 0..<8 { group.addTask { try await TestBackend.postgres.openScopedStore(url) } }
            return try await group.reduce(into: [any JobStore]()) { $0.append($1) }
        }
        #expect(stores.count == 8)
        for (index, store) in stores.enumerated() { try await store.enqueue([makeJob("from-\(index)")]) }
        for store in stores { #expect(try await store.counts(now: testEpoch).pending == 8) }
    }
}
