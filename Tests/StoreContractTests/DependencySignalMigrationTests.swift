import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Migration 024 (SQLite): the dependency triggers of a change of state fire behind `_change`. Waits recorded
/// before it still hold after it: a completed dependency releases its dependent, a dead one cancels the chain
/// after it, and a job restarted after its dependency died is cancelled again at once.
@Suite("Migration 024, dependency triggers behind one", .storeScope)
struct DependencySignalMigrationTests {
    private let policy = RetryPolicy(base: 2, maximum: 60)

    private func waiting(_ id: String, after: String, maxRetries: Int = 3) -> Job {
        var job = makeJob(id, maxRetries: maxRetries)
        job.after = [JobID(trusted: after)]
        return job
    }

    private func claimOne(_ store: any JobStore) async throws -> Job? {
        try await store.claimJobs(registering: ["w-\(UUID().uuidString)"], now: testEpoch).first
    }

    private func finish(_ store: any JobStore, _ job: Job, _ outcome: RunOutcome) async throws {
        let result = RunResult(job: job, outcome: outcome, policy: policy, now: testEpoch)
        #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
    }

    private func state(_ store: any JobStore, _ id: String) async throws -> JobState? {
        try await store.job(JobID(trusted: id))?.state
    }

    @Test("waits written before migration 024 are released, cascaded and renewed by the triggers after it")
    func waitsSurvive() async throws {
        let backend = TestBackend.sqlite
        let url = try await backend.scopedDatabaseURL()
        let before = try await backend.openScopedStore(url)
        try await before.enqueue([
            makeJob("a"), waiting("b", after: "a"),
            makeJob("x", maxRetries: 0), waiting("y", after: "x"), waiting("z", after: "y"),
        ])
        try await backend.rollBack(url, to: 23)

        let after = try await backend.openScopedStore(url)
        let a = try #require(try await claimOne(after))
        #expect(a.id.rawValue == "a")
        try await finish(after, a, .succeeded)
        let b = try #require(try await claimOne(after))
        #expect(b.id.rawValue == "b")
        try await finish(after, b, .succeeded)

        let x = try #require(try await claimOne(after))
        #expect(x.id.rawValue == "x")
        try await finish(after, x, .exited(1))
        #expect(try await state(after, "x") == .dead)
        #expect(try await state(after, "y") == .cancelled)
        #expect(try await state(after, "z") == .cancelled)
        #expect(try await after.job(JobID(trusted: "z"))?.lastError == "dependency x ended dead")

        // `y` back to pending while `x` is still dead: the rewait cancels it again in the same write.
        let control = try #require(after as? any JobControlStore)
        _ = try await control.apply(.restart, to: [JobID(trusted: "y")], now: testEpoch)
        #expect(try await state(after, "y") == .cancelled)
        #expect(try await after.job(JobID(trusted: "y"))?.lastError == "dependency x ended dead")
        #expect(try await claimOne(after) == nil)
        // A restart of `x` leaves `y` cancelled; `y` restarted then waits for `x` again and runs after it.
        _ = try await control.apply(.restart, to: [JobID(trusted: "x")], now: testEpoch)
        _ = try await control.apply(.restart, to: [JobID(trusted: "y")], now: testEpoch)
        #expect(try await state(after, "y") == .pending)
        let rerun = try #require(try await claimOne(after))
        #expect(rerun.id.rawValue == "x")
        #expect(try await claimOne(after) == nil)
        try await finish(after, rerun, .succeeded)
        #expect(try await claimOne(after)?.id.rawValue == "y")
    }
}
