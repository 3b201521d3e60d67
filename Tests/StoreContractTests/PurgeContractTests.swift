import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `purge` and retention (`JobControlStore.purgeJobs`, `purgeableJobIDs`, `takeTurn`, `JobPruner`), on every
/// backend.
@Suite("Purge and retention")
struct PurgeContractTests {
    private func makeStore(_ backend: TestBackend, in directory: TempDirectory) async throws -> any JobControlStore {
        try #require(try await backend.makeStore(in: directory) as? any JobControlStore)
    }

    private func selection(_ states: Set<JobState>, queues: [String] = [], olderThan: TimeInterval = 0) throws
        -> PurgeSelection
    {
        try PurgeSelection(states: states, queues: queues, olderThan: olderThan)
    }

    @Test("purge deletes the finished jobs of the given states, queues and age, and nothing else",
          arguments: TestBackend.all)
    func purgeSelects(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let store = try await makeStore(backend, in: directory)
        let old = testEpoch.addingTimeInterval(-7200)
        try await store.enqueue([
            makeFinishedJob("old-done", finishedAt: old), makeFinishedJob("new-done", finishedAt: testEpoch),
            makeFinishedJob("old-dead", state: .dead, finishedAt: old),
            makeFinishedJob("old-mail", finishedAt: old, queue: "mail"),
            makeJob("waiting", createdAt: old),
        ])
        let now = testEpoch.addingTimeInterval(60)
        let olderThanHour = try selection([.completed], olderThan: 3600)

        #expect(try await store.purgeableJobIDs(olderThanHour, now: now).map(\.rawValue) == ["old-done", "old-mail"])
        #expect(try await store.jobs(JobFilter()).count == 5, "a dry run deletes nothing")
        #expect(Set(try await store.purgeJobs(olderThanHour, now: now, limit: 100).map(\.rawValue)) == ["old-done", "old-mail"])
        #expect(try await store.jobs(JobFilter()).map(\.id.rawValue) == ["new-done", "old-dead", "waiting"])

        let deadInMail = try selection([.dead, .completed], queues: ["mail"])
        #expect(try await store.purgeJobs(deadInMail, now: now, limit: 100).isEmpty)
        let everyFinished = try selection([.dead, .completed])
        #expect(Set(try await store.purgeJobs(everyFinished, now: now, limit: 100).map(\.rawValue)) == ["new-done", "old-dead"])
        #expect(try await store.jobs(JobFilter()).map(\.id.rawValue) == ["waiting"])
        let counts = try await store.counts(now: now)
        #expect([counts.pending, counts.completed, counts.dead] as [Int] == [1, 0, 0])
    }

    @Test("a purge deletes at most its limit per call, and the next call goes on", arguments: TestBackend.all)
    func purgeLimit(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let store = try await makeStore(backend, in: directory)
        try await store.enqueue(makeFinishedJobs(5, prefix: "done"))
        let all = try selection([.completed])
        var deleted: [JobID] = []
        for expected in [2, 2, 1, 0] {
            let batch = try await store.purgeJobs(all, now: testEpoch.addingTimeInterval(1), limit: 2)
            #expect(batch.count == expected)
            deleted += batch
        }
        #expect(Set(deleted.map(\.rawValue)) == Set((1...5).map { "done-\($0)" }))
        #expect(deleted.count == 5)
    }

    @Test("a job finished at the cutoff instant or later is kept", arguments: TestBackend.all)
    func cutoffIsStrict(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let store = try await makeStore(backend, in: directory)
        try await store.enqueue([makeFinishedJob("edge", finishedAt: testEpoch)])
        let tenSeconds = try selection([.completed], olderThan: 10)
        #expect(try await store.purgeJobs(tenSeconds, now: testEpoch.addingTimeInterval(10), limit: 10).isEmpty)
        #expect(try await store.purgeJobs(tenSeconds, now: testEpoch.addingTimeInterval(10.001), limit: 10).count == 1)
    }

    @Test("the pruner works off a backlog in batches while workers claim and finish jobs", arguments: TestBackend.all)
    func prunerWithConcurrentClaims(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let url = try await backend.makeDatabaseURL(in: directory)
        let store = try #require(try await backend.openStore(url) as? any JobControlStore)
        let workerStore = try await backend.openStore(url)
        try await store.enqueue(makeFinishedJobs(1_200, prefix: "old", finishedAt: testEpoch.addingTimeInterval(-86_400)))
        try await workerStore.enqueue(makeJobs(60, prefix: "fresh"))
        try await workerStore.registerWorkers(
            [WorkerRegistration(id: "w1", pid: 1, host: "test-host", processStart: 1, queues: [])], now: testEpoch)

        let pruner = JobPruner(store: store, home: nil, batchSize: 100)
        let olderThanHour = try selection([.completed], olderThan: 3600)
        async let pruned = pruner.prune(olderThanHour, now: testEpoch)
        async let finished: [JobID] = {
            var done: [JobID] = []
            while let job = try await workerStore.claimJobs(for: ["w1"], queues: [], now: testEpoch).first {
                let result = RunResult(job: job, outcome: .succeeded, policy: RetryPolicy(QueueConfig()), now: testEpoch)
                #expect(try await workerStore.recordResult(result, of: try #require(JobClaim(job))))
                done.append(job.id)
            }
            return done
        }()
        let (count, done) = try await (pruned, finished)

        #expect(count == 1_200)
        #expect(Set(done.map(\.rawValue)) == Set((1...60).map { "fresh-\($0)" }) && done.count == 60)
        // The jobs that finished during the prune are young: kept.
        let left = try await store.jobs(JobFilter())
        #expect(left.count == 60 && left.allSatisfy { $0.state == .completed && $0.id.rawValue.hasPrefix("fresh-") })
        #expect(try await store.counts(now: testEpoch).completed == 60)
    }

    @Test("two pruners at once delete every job once between them, without errors", arguments: TestBackend.all)
    func twoPruners(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let url = try await backend.makeDatabaseURL(in: directory)
        let first = try #require(try await backend.openStore(url) as? any JobControlStore)
        let second = try #require(try await backend.openStore(url) as? any JobControlStore)
        try await first.enqueue(makeFinishedJobs(900, prefix: "c") + makeFinishedJobs(300, prefix: "d", state: .dead))
        let all = try selection([.completed, .dead])

        async let a = JobPruner(store: first, home: nil, batchSize: 50).prune(all, now: testEpoch.addingTimeInterval(1))
        async let b = JobPruner(store: second, home: nil, batchSize: 70).prune(all, now: testEpoch.addingTimeInterval(1))
        let (fromFirst, fromSecond) = try await (a, b)

        // A pruner may stop early when the other holds the last rows; together they leave nothing.
        let rest = try await JobPruner(store: first, home: nil).prune(all, now: testEpoch.addingTimeInterval(1))
        #expect(fromFirst + fromSecond + rest == 1_200)
        #expect(try await first.jobs(JobFilter()).isEmpty)
        let counts = try await first.counts(now: testEpoch)
        #expect(counts.completed == 0 && counts.dead == 0)
    }

    @Test("purge deletes the jobs' stored logs and log files", arguments: TestBackend.all)
    func purgeDeletesLogs(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let store = try await makeStore(backend, in: directory)
        let home = QueueHome(root: URL(fileURLWithPath: directory.file("home")))
        try await store.enqueue([makeFinishedJob("gone"), makeFinishedJob("kept", state: .dead)])
        for id in ["gone", "kept"] { try await writeJobLog("output of \(id)\n", of: JobID(trusted: id), store: store, home: home) }

        let pruned = try await JobPruner(store: store, home: home).prune(try selection([.completed]), now: testEpoch.addingTimeInterval(1))
        #expect(pruned == 1)
        #expect(!FileManager.default.fileExists(atPath: home.logFile(for: JobID(trusted: "gone"))))
        #expect(FileManager.default.fileExists(atPath: home.logFile(for: JobID(trusted: "kept"))))
        if let logs = store as? any JobLogStore {
            #expect(try await logs.log(of: JobID(trusted: "gone"), .from(0)).size == 0)
            #expect(try await logs.log(of: JobID(trusted: "kept"), .from(0)).bytes == Array("output of kept\n".utf8))
        }
    }

    @Test("remove deletes the stored log, so a new job with the same id starts with an empty one",
          arguments: TestBackend.all.filter { $0 == .postgres })
    func removeDeletesStoredLog(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let store = try await makeStore(backend, in: directory)
        let logs = try #require(store as? any JobLogStore)
        try await store.enqueue([makeFinishedJob("logged"), makeFinishedJob("other")])
        try await logs.appendLog(Array("first life\n".utf8), to: JobID(trusted: "logged"))
        try await logs.appendLog(Array("other output\n".utf8), to: JobID(trusted: "other"))

        _ = try await store.apply(.remove, to: [JobID(trusted: "logged")], now: testEpoch)
        #expect(try await logs.log(of: JobID(trusted: "logged"), .from(0)).size == 0)
        #expect(try await logs.log(of: JobID(trusted: "other"), .from(0)).size == 13)
        try await store.enqueue([makeJob("logged")])
        #expect(try await logs.log(of: JobID(trusted: "logged"), .tail(100)).bytes.isEmpty)
    }

    @Test("a turn is taken once per interval, and of many takers at once exactly one gets it",
          arguments: TestBackend.all)
    func turns(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let url = try await backend.makeDatabaseURL(in: directory)
        var stores: [any JobControlStore] = []
        for _ in 0..<4 { stores.append(try #require(try await backend.openStore(url) as? any JobControlStore)) }
        let store = stores[0]

        #expect(try await store.takeTurn(of: "retention", now: testEpoch, interval: 60))
        #expect(try await store.takeTurn(of: "retention", now: testEpoch.addingTimeInterval(59.9), interval: 60) == false)
        #expect(try await store.takeTurn(of: "other-task", now: testEpoch.addingTimeInterval(1), interval: 60))
        #expect(try await store.takeTurn(of: "retention", now: testEpoch.addingTimeInterval(60), interval: 60))
        // A clock that jumped back does not stall the task.
        #expect(try await store.takeTurn(of: "retention", now: testEpoch.addingTimeInterval(-3600), interval: 60))

        let at = testEpoch.addingTimeInterval(1_000)
        let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<12 {
                let taker = stores[index % stores.count]
                group.addTask { try await taker.takeTurn(of: "retention", now: at, interval: 60) }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(winners == 1)
    }
}
