import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Queues as rows on every backend: what `queue list` shows, pauses and limits kept across a reopen, and both
/// enforced by the claim itself (paused queues give nothing, full queues give nothing more, other queues go on).
@Suite("Queue control", .storeScope)
struct QueueControlContractTests {
    private let policy = RetryPolicy(base: 2, maximum: 60)

    /// `store` as a `QueueControlStore`.
    private func control(_ store: any JobStore) throws -> any QueueControlStore {
        try #require(store as? any QueueControlStore)
    }

    /// `count` pending jobs of `queue` named `prefix-1…`, with `priority`.
    private func jobs(_ count: Int, queue: String, prefix: String, priority: Int = 0, maxRetries: Int = 3) -> [Job] {
        (1...count).map { makeJob("\(prefix)-\($0)", maxRetries: maxRetries, priority: priority, queue: queue) }
    }

    @Test("queue list shows every queue with jobs or settings: counts per state, paused, limit", arguments: TestBackend.all)
    func listShowsCountsAndSettings(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let queues = try control(store)
        try await store.enqueue(jobs(3, queue: "mail", prefix: "m") + jobs(1, queue: "web", prefix: "w"))
        let running = try #require(try await store.claimJobs(registering: ["w1"], queues: ["mail"], now: testEpoch).first)
        #expect(try await store.recordResult(
            RunResult(job: running, outcome: .succeeded, policy: policy, now: testEpoch), of: try #require(JobClaim(running))))
        _ = try await store.claimJobs(registering: ["w2"], queues: ["mail"], now: testEpoch)
        #expect(try await queues.setPaused(true, queues: .named(["web", "later"]), now: testEpoch) == ["later", "web"])
        try await queues.setLimit(4, queue: "mail", now: testEpoch)

        let listed = try await queues.queues()
        #expect(listed.map(\.name) == ["later", "mail", "web"])
        #expect(listed[0] == QueueRecord(name: "later", paused: true))
        #expect(listed[1] == QueueRecord(name: "mail", counts: QueueCounts(pending: 1, processing: 1, completed: 1), limit: 4))
        #expect(listed[2] == QueueRecord(name: "web", counts: QueueCounts(pending: 1), paused: true))

        // Settings back to their defaults leave no row: a queue without jobs is then no longer listed.
        #expect(try await queues.setPaused(false, queues: .named(["later"]), now: testEpoch) == ["later"])
        try await queues.setLimit(0, queue: "mail", now: testEpoch)
        #expect(try await queues.queues().map(\.name) == ["mail", "web"])
        #expect(try await queues.queues().first?.limit == 0)
    }

    @Test("pause --all pauses the queues that exist at that moment, not later ones", arguments: TestBackend.all)
    func pauseAllTakesTheQueuesThatExist(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let queues = try control(store)
        try await store.enqueue(jobs(1, queue: "a", prefix: "a") + jobs(1, queue: "b", prefix: "b"))
        try await queues.setLimit(2, queue: "c", now: testEpoch)
        #expect(try await queues.setPaused(true, queues: .all, now: testEpoch) == ["a", "b", "c"])
        try await store.enqueue(jobs(1, queue: "d", prefix: "d"))

        let claimed = try await store.claimJobs(registering: ["w1", "w2"], now: testEpoch)
        #expect(claimed.map(\.id.rawValue) == ["d-1"])
        #expect(try await queues.queues().map(\.paused) == [true, true, true, false])
        #expect(try await queues.setPaused(false, queues: .all, now: testEpoch) == ["a", "b", "c", "d"])
        #expect(try await queues.queues().map(\.limit) == [0, 0, 2, 0])
    }

    @Test("a pause holds across a restart: a reopened store claims nothing from the paused queue until it is resumed", arguments: TestBackend.all)
    func pauseHoldsAcrossRestart(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        let first = try await backend.openScopedStore(url)
        #expect(try await control(first).setPaused(true, queues: .named(["nightly"]), now: testEpoch) == ["nightly"])
        try await first.enqueue(jobs(2, queue: "nightly", prefix: "n", priority: 9) + jobs(1, queue: "default", prefix: "d"))
        await first.close()

        let reopened = try await backend.openScopedStore(url)
        let claimed = try await reopened.claimJobs(registering: ["w1", "w2", "w3"], now: testEpoch)
        #expect(claimed.map(\.id.rawValue) == ["d-1"])
        // Idle workers do not wake for jobs they may not claim.
        #expect(try await reopened.nextDueTime(queues: []) == nil)
        #expect(try await control(reopened).queues().first { $0.name == "nightly" }?.paused == true)

        #expect(try await control(reopened).setPaused(false, queues: .named(["nightly"]), now: testEpoch) == ["nightly"])
        let resumed = try await reopened.claimJobs(registering: ["w4", "w5"], now: testEpoch)
        #expect(resumed.map(\.id.rawValue) == ["n-1", "n-2"])
    }

    @Test("a paused or full queue does not hold up the others, in one claim of many slots", arguments: TestBackend.all)
    func heldQueuesDoNotBlockOthers(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let queues = try control(store)
        _ = try await queues.setPaused(true, queues: .named(["paused"]), now: testEpoch)
        try await queues.setLimit(1, queue: "narrow", now: testEpoch)
        try await store.enqueue(
            jobs(5, queue: "paused", prefix: "p", priority: 9) + jobs(5, queue: "narrow", prefix: "n", priority: 5)
                + jobs(5, queue: "wide", prefix: "w"))

        let claimed = try await store.claimJobs(registering: ["w1", "w2", "w3", "w4"], now: testEpoch)
        #expect(claimed.map(\.id.rawValue) == ["n-1", "w-1", "w-2", "w-3"])
        // The slot's claim after a result: a full queue gives nothing, the others do.
        let wide = try #require(claimed.last)
        let recorded = try await store.recordResult(
            RunResult(job: wide, outcome: .succeeded, policy: policy, now: testEpoch), of: try #require(JobClaim(wide)),
            thenClaimFrom: [])
        #expect(recorded.next?.id.rawValue == "w-4")
        // A worker serving only the full queue gets nothing; once its job ended, the next one.
        #expect(try await store.claimJobs(registering: ["w5"], queues: ["narrow"], now: testEpoch).isEmpty)
        let narrow = try #require(claimed.first)
        let afterNarrow = try await store.recordResult(
            RunResult(job: narrow, outcome: .succeeded, policy: policy, now: testEpoch), of: try #require(JobClaim(narrow)),
            thenClaimFrom: ["narrow"])
        #expect(afterNarrow.next?.id.rawValue == "n-2")
        #expect(try await queues.queues().first { $0.name == "narrow" }?.counts.processing == 1)
        // A raised limit lets as many run as it says, and no more.
        try await queues.setLimit(2, queue: "narrow", now: testEpoch)
        let raised = try await store.claimJobs(registering: ["w6", "w7"], queues: ["narrow"], now: testEpoch)
        #expect(raised.map(\.id.rawValue) == ["n-3"])
        #expect(try await queues.queues().first { $0.name == "narrow" }?.counts.processing == 2)
    }

    @Test("a limit of 2 is never exceeded by 8 claimers on 2 hosts while some die and are recovered", arguments: TestBackend.all)
    func limitHoldsUnderConcurrentClaimersWithKills(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        let hosts = [try await backend.openScopedStore(url), try await backend.openScopedStore(url)]
        let limit = 2
        try await control(hosts[0]).setLimit(limit, queue: "narrow", now: testEpoch)
        let narrowJobs = jobs(60, queue: "narrow", prefix: "n", priority: 5, maxRetries: 0)
        let wideJobs = jobs(40, queue: "wide", prefix: "w", maxRetries: 0)
        try await hosts[1].enqueue(narrowJobs + wideJobs)
        let total = narrowJobs.count + wideJobs.count
        let tally = LimitTally()

        try await withThrowingTaskGroup(of: Void.self) { group in
            for claimer in 0..<8 {
                let store = hosts[claimer % 2]
                group.addTask { try await runClaimer(claimer, store: store, tally: tally, total: total) }
            }
            group.addTask { try await recoverLostRuns(store: hosts[1], tally: tally, total: total) }
            group.addTask {
                // The store's own view, one snapshot per read, taken while the claimers run.
                while await tally.finished < total {
                    let processing = try await control(hosts[1]).queues().first { $0.name == "narrow" }?.counts.processing ?? 0
                    await tally.observeStored(processing)
                    try await Task.sleep(for: .milliseconds(2))
                }
            }
            try await group.waitForAll()
        }

        #expect(await tally.finished == total)
        #expect(await tally.kills > 0)
        #expect(await tally.mostHeld <= limit)
        #expect(await tally.mostStored <= limit)
        let ended = try await hosts[0].jobs(JobFilter())
        #expect(ended.allSatisfy { $0.state == .completed || $0.state == .dead })
    }

    /// One claimer: claims one job at a time as a worker of its own, holds it briefly, and ends it with the
    /// result (claiming its next job in the same write) — or every 7th job "dies" holding it: it stops and a
    /// new worker id takes its place, leaving the job for `recoverLostRuns`.
    private func runClaimer(_ claimer: Int, store: any JobStore, tally: LimitTally, total: Int) async throws {
        var incarnation = 0
        var worker = "c\(claimer)-0"
        var job = try await store.claimJobs(registering: [worker], now: testEpoch).first
        while await tally.finished < total {
            guard let held = job else {
                try await Task.sleep(for: .milliseconds(1))
                job = try await store.claimJobs(registering: [worker], now: testEpoch).first
                continue
            }
            await tally.claimed(held)
            try await Task.sleep(for: .milliseconds(Int.random(in: 1...3)))
            let claim = try #require(JobClaim(held))
            if await tally.shouldKill() {
                await tally.died(claim)
                incarnation += 1
                worker = "c\(claimer)-\(incarnation)"
                job = nil
                continue
            }
            await tally.released(held)
            let recorded = try await store.recordResult(
                RunResult(job: held, outcome: .succeeded, policy: policy, now: testEpoch), of: claim, thenClaimFrom: [])
            #expect(recorded.applied)
            await tally.ended()
            job = recorded.next
        }
    }

    /// The recovery of lost runs, as `RecoveryService` does it: once a dead claimer's lease has lapsed (the test
    /// judges at an hour later), its job ends `dead` (no retries left) through the lease-guarded write.
    private func recoverLostRuns(store: any JobStore, tally: LimitTally, total: Int) async throws {
        let later = testEpoch.addingTimeInterval(3600)
        while await tally.finished < total {
            guard let lost = await tally.takeLost() else {
                try await Task.sleep(for: .milliseconds(3))
                continue
            }
            try await Task.sleep(for: .milliseconds(5))
            let job = try #require(try await store.job(lost.jobID))
            await tally.released(job)
            let result = RunResult(job: job, outcome: .workerLost, policy: policy, now: later)
            #expect(try await store.recordLostRun(result, of: lost, now: later, leaseTimeout: 30))
            await tally.ended()
        }
    }
}

/// What the claimers of `limitHoldsUnderConcurrentClaimersWithKills` saw. `held` counts the jobs of the limited
/// queue from the return of their claim to the start of the write that ends them, so it never counts more than
/// the store has processing: more than the limit here means the store ran more than the limit.
private actor LimitTally {
    private var held = 0
    private(set) var mostHeld = 0
    private(set) var mostStored = 0
    private(set) var finished = 0
    private(set) var kills = 0
    private var claims = 0
    private var lost: [JobClaim] = []

    func claimed(_ job: Job) {
        guard job.queue == "narrow" else { return }
        held += 1
        mostHeld = max(mostHeld, held)
    }

    func released(_ job: Job) {
        if job.queue == "narrow" { held -= 1 }
    }

    func shouldKill() -> Bool {
        claims += 1
        return claims % 7 == 0
    }

    func died(_ claim: JobClaim) {
        kills += 1
        lost.append(claim)
    }

    func takeLost() -> JobClaim? {
        lost.isEmpty ? nil : lost.removeFirst()
    }

    func ended() { finished += 1 }

    func observeStored(_ processing: Int) { mostStored = max(mostStored, processing) }
}
