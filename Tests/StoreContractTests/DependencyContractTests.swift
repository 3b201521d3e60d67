import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Dependencies on every backend (`enqueue --after`): a waiting job is not claimable until every job it names
/// completed; when one ends dead or cancelled, or is removed first, every job waiting for it (transitively) is
/// cancelled with the reason, in the transaction that ended it.
@Suite("Dependencies", .storeScope)
struct DependencyContractTests {
    private let policy = RetryPolicy(base: 2, maximum: 60)

    /// A pending job waiting for `after`.
    private func waiting(_ id: String, after: [String], maxRetries: Int = 3) -> Job {
        var job = makeJob(id, maxRetries: maxRetries)
        job.after = after.map(JobID.init(trusted:))
        return job
    }

    /// The ids every claim of `workers` free slots returns now (sorted), the claimed jobs left processing.
    private func claimable(_ store: any JobStore, slots: Int = 5, at: Date = testEpoch) async throws -> [Job] {
        try await store.claimJobs(registering: (0..<slots).map { "w\($0)-\(UUID().uuidString)" }, now: at)
    }

    /// Ends the run of `job` (claimed) with `outcome`.
    private func finish(_ store: any JobStore, _ job: Job, _ outcome: RunOutcome) async throws {
        let result = RunResult(job: job, outcome: outcome, policy: policy, now: testEpoch)
        #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
    }

    /// Job `id` as stored.
    private func stored(_ store: any JobStore, _ id: String) async throws -> Job {
        try #require(try await store.job(JobID(trusted: id)))
    }

    @Test("a chain A→B→C runs in order, one job claimable at a time, and idle workers see nothing due", arguments: TestBackend.all)
    func chainRunsInOrder(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("a"), waiting("b", after: ["a"]), waiting("c", after: ["b"])])
        #expect(try await stored(store, "c").after == [JobID(trusted: "b")])
        var order: [String] = []
        for _ in 0..<3 {
            let claimed = try await claimable(store)
            #expect(claimed.count == 1)
            let job = try #require(claimed.first)
            order.append(job.id.rawValue)
            // While it runs, the jobs after it are not due: an idle worker has nothing to wait for.
            #expect(try await store.nextDueTime(queues: []) == nil)
            try await finish(store, job, .succeeded)
        }
        #expect(order == ["a", "b", "c"])
        #expect(try await claimable(store).isEmpty)
    }

    @Test("a job waiting for two runs only once both completed, in either order", arguments: TestBackend.all)
    func fanInWaitsForAll(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("x"), makeJob("y"), waiting("both", after: ["x", "y"])])
        let first = try await claimable(store)
        #expect(Set(first.map(\.id.rawValue)) == ["x", "y"])
        let y = try #require(first.first { $0.id.rawValue == "y" })
        try await finish(store, y, .succeeded)
        #expect(try await claimable(store).isEmpty)
        try await finish(store, try #require(first.first { $0.id.rawValue == "x" }), .succeeded)
        #expect(try await claimable(store).map(\.id.rawValue) == ["both"])
    }

    @Test("a dead dependency cancels its dependents and theirs with the reason, in the same write", arguments: TestBackend.all)
    func deadCascades(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([
            makeJob("a", maxRetries: 0), waiting("b", after: ["a"]), waiting("c", after: ["b"]), makeJob("free"),
        ])
        let running = try await claimable(store, slots: 1)
        #expect(running.map(\.id.rawValue) == ["a"])
        try await finish(store, try #require(running.first), .exited(1))
        // Read right after the one write that ended `a`: no state in between was ever visible.
        #expect(try await stored(store, "a").state == .dead)
        for id in ["b", "c"] {
            let job = try await stored(store, id)
            #expect(job.state == .cancelled)
            #expect(job.lastError == "dependency a ended dead")
            #expect(job.finishedAt != nil)
        }
        #expect(try await claimable(store).map(\.id.rawValue) == ["free"])
        let counts = try await store.counts(now: testEpoch)
        #expect(counts.cancelled == 2)
        #expect(counts.pending == 0)
        #expect(try await store.counters()[RunMetrics.jobsCancelled] == 2)
    }

    @Test("a lost worker's last run ends its job dead and cancels the dependents", arguments: TestBackend.all)
    func lostRunCascades(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("a", maxRetries: 0), waiting("b", after: ["a"])])
        let job = try #require(try await claimable(store, slots: 1).first)
        let lapsed = testEpoch.addingTimeInterval(3600)
        let lost = RunResult(job: job, outcome: .workerLost, policy: policy, now: lapsed, runDuration: nil)
        #expect(try await store.recordLostRun(lost, of: try #require(JobClaim(job)), now: lapsed, leaseTimeout: 30))
        #expect(try await stored(store, "a").state == .dead)
        #expect(try await stored(store, "b").lastError == "dependency a ended dead")
    }

    @Test("cancelling a waiting or a running dependency cancels its dependents, also when the cancel wins over a retry", arguments: TestBackend.all)
    func cancelCascades(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([
            makeJob("run"), makeJob("later", runAt: testEpoch.addingTimeInterval(3600)),
            waiting("after-run", after: ["run"]), waiting("after-later", after: ["later"]),
            waiting("after-after-later", after: ["after-later"]),
        ])
        let cancelled = try await store.cancelJobs([JobID(trusted: "later")], grace: .seconds(1), now: testEpoch)
        #expect(cancelled.map(\.state) == [.cancelled])
        for id in ["after-later", "after-after-later"] {
            #expect(try await stored(store, id).state == .cancelled)
            #expect(try await stored(store, id).lastError == "dependency later ended cancelled")
        }

        let running = try #require(try await claimable(store, slots: 1).first)
        #expect(running.id.rawValue == "run")
        _ = try await store.cancelJobs([running.id], grace: .seconds(1), now: testEpoch)
        #expect(try await stored(store, "after-run").state == .pending)
        // The run fails with retries left; the stored cancel request wins and the job ends cancelled.
        try await finish(store, running, .exited(1))
        #expect(try await stored(store, "run").state == .cancelled)
        #expect(try await stored(store, "after-run").lastError == "dependency run ended cancelled")
        #expect(try await claimable(store).isEmpty)
    }

    @Test("removing an unfinished dependency cancels its dependents; removing a completed one leaves them runnable", arguments: TestBackend.all)
    func removeCascadesOnlyUnfinished(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let control = try #require(store as? any JobControlStore)
        try await store.enqueue([
            makeJob("done"), makeJob("gone", runAt: testEpoch.addingTimeInterval(3600)),
            waiting("after-done", after: ["done"]), waiting("after-gone", after: ["gone"]),
            waiting("after-after-gone", after: ["after-gone"]),
        ])
        _ = try await control.apply(.remove, to: [JobID(trusted: "gone")], now: testEpoch)
        for id in ["after-gone", "after-after-gone"] {
            #expect(try await stored(store, id).state == .cancelled)
            #expect(try await stored(store, id).lastError == "dependency gone removed")
        }

        let done = try #require(try await claimable(store, slots: 1).first)
        #expect(done.id.rawValue == "done")
        try await finish(store, done, .succeeded)
        _ = try await control.apply(.remove, to: [done.id], now: testEpoch)
        #expect(try await stored(store, "after-done").state == .pending)
        #expect(try await claimable(store).map(\.id.rawValue) == ["after-done"])
    }

    @Test("enqueueing after a dead or cancelled job cancels the new job at once; after a completed one it is runnable", arguments: TestBackend.all)
    func enqueueAfterEndedJobs(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("a", maxRetries: 0), makeJob("ok")])
        let claimed = try await claimable(store, slots: 2)
        try await finish(store, try #require(claimed.first { $0.id.rawValue == "a" }), .exited(1))
        try await finish(store, try #require(claimed.first { $0.id.rawValue == "ok" }), .succeeded)
        try await store.enqueue([makeJob("c", runAt: testEpoch.addingTimeInterval(3600))])
        _ = try await store.cancelJobs([JobID(trusted: "c")], grace: .seconds(1), now: testEpoch)

        try await store.enqueue([
            waiting("after-dead", after: ["ok", "a"]), waiting("after-cancelled", after: ["c"]),
            waiting("after-ok", after: ["ok"]),
        ])
        #expect(try await stored(store, "after-dead").state == .cancelled)
        #expect(try await stored(store, "after-dead").lastError == "dependency a ended dead")
        #expect(try await stored(store, "after-cancelled").lastError == "dependency c ended cancelled")
        #expect(try await claimable(store).map(\.id.rawValue) == ["after-ok"])
        let counts = try await store.counts(now: testEpoch)
        #expect(counts.cancelled == 3)
        #expect(counts.processing == 1)
        #expect(try await store.counters()[RunMetrics.jobsCancelled] == 3)
    }

    @Test("restart of a dependency does not resurrect its cancelled dependents; restarting one waits again or is cancelled again", arguments: TestBackend.all)
    func restartRules(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let control = try #require(store as? any JobControlStore)
        try await store.enqueue([makeJob("a", maxRetries: 0), waiting("b", after: ["a"])])
        try await finish(store, try #require(try await claimable(store, slots: 1).first), .exited(1))
        #expect(try await stored(store, "b").state == .cancelled)

        // b restarted while a is dead: cancelled again at once, saying why.
        _ = try await control.apply(.restart, to: [JobID(trusted: "b")], now: testEpoch)
        #expect(try await stored(store, "b").state == .cancelled)
        #expect(try await stored(store, "b").lastError == "dependency a ended dead")

        // a restarted: b stays cancelled until restarted itself; then it waits for a again.
        _ = try await control.apply(.restart, to: [JobID(trusted: "a")], now: testEpoch)
        #expect(try await stored(store, "b").state == .cancelled)
        _ = try await control.apply(.restart, to: [JobID(trusted: "b")], now: testEpoch)
        #expect(try await stored(store, "b").state == .pending)
        let next = try await claimable(store)
        #expect(next.map(\.id.rawValue) == ["a"])
        try await finish(store, try #require(next.first), .succeeded)
        #expect(try await claimable(store).map(\.id.rawValue) == ["b"])
    }

    @Test("8 concurrent claimers never claim a waiting job", arguments: TestBackend.all)
    func concurrentClaimersSkipWaitingJobs(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        let seed = try await backend.openScopedStore(url)
        let blocker = makeJob("blocker", runAt: testEpoch.addingTimeInterval(3600))
        let free = makeJobs(300, prefix: "free")
        let blocked = (1...300).map { waiting("blocked-\($0)", after: ["blocker"]) }
        try await seed.enqueue([blocker] + zip(free, blocked).flatMap { [$0, $1] })
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for claimer in 0..<8 {
                group.addTask {
                    let store = try await backend.openScopedStore(url)
                    var mine: [String] = []
                    var round = 0
                    while true {
                        round += 1
                        let workers = (0..<3).map { "c\(claimer)-r\(round)-s\($0)" }
                        let jobs = try await store.claimJobs(registering: workers, now: testEpoch)
                        if jobs.isEmpty { break }
                        for job in jobs {
                            mine.append(job.id.rawValue)
                            let result = RunResult(job: job, outcome: .succeeded, policy: self.policy, now: testEpoch)
                            #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
                        }
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(claimed.count == 300)
        #expect(Set(claimed) == Set(free.map(\.id.rawValue)))
        #expect(try await seed.counts(now: testEpoch).pending == 301)
    }

    @Test("an enqueue racing with its dependency's end, on another connection, never waits forever", arguments: TestBackend.all)
    func enqueueRacingWithTheEnd(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        let ender = try await backend.openScopedStore(url)
        let enqueuer = try await backend.openScopedStore(url)
        for round in 0..<20 {
            let dependency = makeJob("dep-\(round)", maxRetries: 0)
            try await ender.enqueue([dependency])
            let running = try #require(try await claimable(ender, slots: 1).first)
            let succeeds = round.isMultiple(of: 2)
            async let ended: Void = finish(ender, running, succeeds ? .succeeded : .exited(1))
            async let added = enqueuer.enqueue([waiting("next-\(round)", after: [dependency.id.rawValue])])
            _ = try await (ended, added)
            let next = try await stored(ender, "next-\(round)")
            if succeeds {
                #expect(next.state == .pending)
                let claimed = try await claimable(ender)
                #expect(claimed.map(\.id.rawValue) == ["next-\(round)"], "round \(round)")
                for job in claimed { try await finish(ender, job, .succeeded) }
            } else {
                #expect(next.state == .cancelled, "round \(round)")
                #expect(next.lastError == "dependency dep-\(round) ended dead")
            }
        }
    }
}
