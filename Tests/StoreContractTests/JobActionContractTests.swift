import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `remove`, `restart` and `promote` (`JobControlStore.apply`), on every backend: what each does, and that a
/// batch is all-or-nothing.
@Suite("Remove, restart and promote")
struct JobActionContractTests {
    /// A fresh store with its control power.
    private func makeStore(_ backend: TestBackend, in directory: TempDirectory) async throws -> any JobControlStore {
        let store = try await backend.makeStore(in: directory)
        return try #require(store as? any JobControlStore, "every store can remove, restart and promote")
    }

    /// Pending `p` (due in an hour), failed `f` (retry due in an hour), processing `r`, completed `c`, dead `d`.
    private func prepareEveryState(_ store: any JobStore) async throws {
        try await store.enqueue([
            makeJob("r"), makeJob("f", maxRetries: 3), makeJob("p", runAt: testEpoch.addingTimeInterval(3600)),
            makeFinishedJob("c", state: .completed), makeFinishedJob("d", state: .dead),
        ])
        let claimed = try await store.claimJobs(registering: ["w1", "w2"], now: testEpoch)
        #expect(claimed.map(\.id.rawValue) == ["r", "f"])
        let failing = try #require(claimed.last)
        var config = QueueConfig()
        config.backoffBase = 3600
        let result = RunResult(job: failing, outcome: .exited(3), policy: RetryPolicy(config), now: testEpoch)
        #expect(try await store.recordResult(result, of: try #require(JobClaim(failing))))
        #expect(try await store.job(JobID(trusted: "f"))?.state == .failed)
    }

    private func ids(_ names: String...) -> [JobID] { names.map(JobID.init(trusted:)) }

    @Test("remove deletes jobs in any state but processing and returns them as they were", arguments: TestBackend.all)
    func remove(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let store = try await makeStore(backend, in: directory)
        try await prepareEveryState(store)

        let removed = try await store.apply(.remove, to: ids("d", "p", "c", "f"), now: testEpoch)
        #expect(removed.map(\.id.rawValue) == ["d", "p", "c", "f"])
        #expect(removed.map(\.state) == [.dead, .pending, .completed, .failed])
        for id in ids("d", "p", "c", "f") { #expect(try await store.job(id) == nil) }
        #expect(try await store.jobs(JobFilter()).map(\.id.rawValue) == ["r"])
        let counts = try await store.counts(now: testEpoch)
        #expect([counts.pending, counts.processing, counts.completed, counts.failed, counts.dead] as [Int] == [0, 1, 0, 0, 0])
        // The id is free again.
        try await store.enqueue([makeJob("c")])
        #expect(try await store.job(JobID(trusted: "c"))?.state == .pending)
    }

    @Test("a batch with a processing or unknown job changes nothing and names that job", arguments: TestBackend.all)
    func allOrNothing(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let store = try await makeStore(backend, in: directory)
        try await prepareEveryState(store)
        let before = try await store.jobs(JobFilter())

        await #expect(throws: QueueError.actionRefused(.remove, JobID(trusted: "r"), .processing)) {
            _ = try await store.apply(.remove, to: self.ids("p", "r", "c"), now: testEpoch)
        }
        await #expect(throws: QueueError.jobNotFound(JobID(trusted: "ghost"))) {
            _ = try await store.apply(.remove, to: self.ids("p", "ghost"), now: testEpoch)
        }
        await #expect(throws: QueueError.actionRefused(.restart, JobID(trusted: "f"), .failed)) {
            _ = try await store.apply(.restart, to: self.ids("c", "d", "f"), now: testEpoch)
        }
        await #expect(throws: QueueError.actionRefused(.promote, JobID(trusted: "c"), .completed)) {
            _ = try await store.apply(.promote, to: self.ids("p", "c"), now: testEpoch.addingTimeInterval(5))
        }
        // The first offending id in the order given is the one named.
        await #expect(throws: QueueError.jobNotFound(JobID(trusted: "ghost"))) {
            _ = try await store.apply(.restart, to: self.ids("c", "ghost", "p"), now: testEpoch)
        }
        #expect(try await store.jobs(JobFilter()) == before)
    }

    @Test("restart puts finished jobs back to pending from scratch, due now, with the last run as history",
          arguments: TestBackend.all)
    func restart(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let store = try await makeStore(backend, in: directory)
        try await prepareEveryState(store)
        let now = testEpoch.addingTimeInterval(100)

        let restarted = try await store.apply(.restart, to: ids("d", "c"), now: now)
        #expect(restarted.map(\.id.rawValue) == ["d", "c"])
        for job in restarted {
            #expect(job.state == .pending)
            #expect(job.attempts == 0 && job.snoozes == 0)
            #expect(job.runAt == now && job.updatedAt == now)
            #expect(job.worker == nil)
        }
        #expect(restarted.first?.lastError == "exited with code 3" && restarted.first?.exitCode == 3)
        #expect(try await store.job(JobID(trusted: "c")) == restarted.last)
        let counts = try await store.counts(now: now)
        #expect(counts.completed == 0 && counts.dead == 0 && counts.pending == 3)
        // They run again with their whole retry budget (the pending `p` is not due yet).
        let again = try await store.claimJobs(registering: ["w3", "w4", "w5"], now: now)
        #expect(again.map(\.id.rawValue) == ["c", "d"])
        #expect(again.allSatisfy { $0.attempts == 1 })
    }

    @Test("restart resets the snoozes a job took", arguments: TestBackend.all)
    func restartResetsSnoozes(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let store = try await makeStore(backend, in: directory)
        try await store.enqueue([makeJob("s", maxRetries: 0)])
        let policy = RetryPolicy(QueueConfig())
        var job = try #require(try await store.claimJobs(registering: ["w1"], now: testEpoch).first)
        let snooze = RunResult(job: job, outcome: .exited(75), policy: policy, now: testEpoch)
        #expect(try await store.recordResult(snooze, of: try #require(JobClaim(job))))
        let later = testEpoch.addingTimeInterval(60)
        job = try #require(try await store.claimJobs(for: ["w1"], queues: [], now: later).first)
        #expect(job.snoozes == 1)
        let done = RunResult(job: job, outcome: .succeeded, policy: policy, now: later)
        #expect(try await store.recordResult(done, of: try #require(JobClaim(job))))

        let restarted = try await store.apply(.restart, to: ids("s"), now: later)
        #expect(restarted.first?.snoozes == 0 && restarted.first?.attempts == 0)
    }

    @Test("promote makes waiting jobs due now; one already due keeps its place", arguments: TestBackend.all)
    func promote(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let store = try await makeStore(backend, in: directory)
        try await prepareEveryState(store)
        try await store.enqueue([makeJob("early", runAt: testEpoch.addingTimeInterval(-50))])
        let now = testEpoch.addingTimeInterval(10)

        let promoted = try await store.apply(.promote, to: ids("p", "f", "early"), now: now)
        #expect(promoted.map(\.id.rawValue) == ["p", "f", "early"])
        #expect(promoted.map(\.runAt) == [now, now, testEpoch.addingTimeInterval(-50)])
        #expect(promoted.map(\.state) == [.pending, .failed, .pending])
        #expect(promoted[1].attempts == 1)
        #expect(promoted.allSatisfy { $0.updatedAt == now })
        let claimed = try await store.claimJobs(registering: ["w4", "w5", "w6"], now: now)
        #expect(claimed.map(\.id.rawValue) == ["early", "f", "p"])
    }

    @Test("a claim racing a remove: exactly one of them gets the job, many rounds", arguments: TestBackend.all)
    func removeRacesClaim(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let url = try await backend.makeDatabaseURL(in: directory)
        let claimer = try await backend.openStore(url)
        let remover = try #require(try await backend.openStore(url) as? any JobControlStore)
        try await claimer.registerWorkers(
            [WorkerRegistration(id: "w1", pid: 1, host: "test-host", processStart: 1, queues: [])], now: testEpoch)
        for round in 1...25 {
            let id = JobID(trusted: "race-\(round)")
            try await claimer.enqueue([makeJob(id.rawValue)])
            async let claimed = claimer.claimJobs(for: ["w1"], queues: [], now: testEpoch)
            async let removed: [Job]? = {
                do {
                    return try await remover.apply(.remove, to: [id], now: testEpoch)
                } catch QueueError.actionRefused(.remove, id, .processing) {
                    return nil
                }
            }()
            let (claim, removal) = try await (claimed, removed)
            if let removal {
                #expect(removal.map(\.id) == [id] && claim.isEmpty, "round \(round)")
                #expect(try await claimer.job(id) == nil)
            } else {
                #expect(claim.map(\.id) == [id], "round \(round)")
                #expect(try await claimer.job(id)?.state == .processing)
                let result = RunResult(job: claim[0], outcome: .succeeded, policy: RetryPolicy(QueueConfig()), now: testEpoch)
                #expect(try await claimer.recordResult(result, of: try #require(JobClaim(claim[0]))))
            }
        }
    }
}
