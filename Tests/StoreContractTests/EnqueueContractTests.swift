import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Enqueue, read-back and listing, on every backend.
@Suite("Enqueue and read back", .storeScope)
struct EnqueueContractTests {
    @Test("an enqueued job reads back with every field intact", arguments: TestBackend.all)
    func roundTrip(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let runAt = testEpoch.addingTimeInterval(90.123)
        let job = makeJob(
            "report-1", command: "echo 'hi there' && exit 3", maxRetries: 7, priority: -4, runAt: runAt, timeout: 60,
            queue: "emails")
        try await store.enqueue([job])

        let stored = try #require(try await store.job(JobID(trusted: "report-1")))
        #expect(stored == job)
        #expect(stored.state == .pending)
        #expect(stored.attempts == 0)
        #expect(stored.exitCode == nil && stored.lastError == nil && stored.worker == nil)
        #expect(stored.startedAt == nil && stored.finishedAt == nil)
        #expect(Timestamp.milliseconds(stored.runAt) == Timestamp.milliseconds(testEpoch) + 90_123)
        #expect(try await store.job(JobID(trusted: "missing")) == nil)
    }

    @Test("a batch with an id already in the store inserts nothing and names the id", arguments: TestBackend.all)
    func duplicateOfExisting(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("taken")])

        await #expect(throws: QueueError.duplicateJobID(JobID(trusted: "taken"))) {
            try await store.enqueue([makeJob("fresh-1"), makeJob("taken"), makeJob("fresh-2")])
        }
        let all = try await store.jobs(JobFilter())
        #expect(all.map(\.id.rawValue) == ["taken"])
        #expect(try await store.counts(now: testEpoch).pending == 1)
    }

    @Test("a batch repeating an id inserts nothing and names the id", arguments: TestBackend.all)
    func duplicateInsideBatch(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()

        await #expect(throws: QueueError.duplicateJobID(JobID(trusted: "twice"))) {
            try await store.enqueue([makeJob("twice"), makeJob("other"), makeJob("twice")])
        }
        #expect(try await store.jobs(JobFilter()).isEmpty)
        #expect(try await store.counts(now: testEpoch) == QueueCounts())
    }

    @Test("the error for a duplicate id tells the user nothing was enqueued", arguments: TestBackend.all)
    func duplicateMessage(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue([makeJob("dup")])
        do {
            try await store.enqueue([makeJob("dup")])
            Issue.record("a duplicate id was accepted")
        } catch let error as QueueError {
            #expect(error.description == "a job with id 'dup' already exists; nothing was enqueued")
            #expect(error.exitCode == 1)
        }
    }

    @Test("list returns jobs in enqueue order and honours state, queue, limit and offset", arguments: TestBackend.all)
    func listFilters(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        // Priorities and queues deliberately disagree with enqueue order.
        try await store.enqueue([
            makeJob("a", priority: 1, queue: "q1"), makeJob("b", priority: 9, queue: "q2"),
            makeJob("c", priority: 5, queue: "q1"), makeJob("d", priority: 0, queue: "q2"),
            makeJob("e", priority: 3, queue: "q1"),
        ])
        // "b" (priority 9) is claimed first and becomes processing.
        let claimed = try await store.claimJobs(registering: ["w1"], queues: [], now: testEpoch)
        #expect(claimed.map(\.id.rawValue) == ["b"])

        func ids(_ filter: JobFilter) async throws -> [String] { try await store.jobs(filter).map(\.id.rawValue) }
        #expect(try await ids(JobFilter()) == ["a", "b", "c", "d", "e"])
        #expect(try await ids(JobFilter(state: .pending)) == ["a", "c", "d", "e"])
        #expect(try await ids(JobFilter(state: .processing)) == ["b"])
        #expect(try await ids(JobFilter(state: .dead)) == [])
        #expect(try await ids(JobFilter(queue: "q1")) == ["a", "c", "e"])
        #expect(try await ids(JobFilter(state: .pending, queue: "q2")) == ["d"])
        #expect(try await ids(JobFilter(limit: 2)) == ["a", "b"])
        #expect(try await ids(JobFilter(limit: 2, offset: 2)) == ["c", "d"])
        #expect(try await ids(JobFilter(offset: 3)) == ["d", "e"])
        #expect(try await ids(JobFilter(limit: 0)) == [])
        #expect(try await ids(JobFilter(offset: 10)) == [])
        // Several states and several queues: any of the states AND any of the queues.
        #expect(try await ids(JobFilter(states: [.processing, .pending])) == ["a", "b", "c", "d", "e"])
        #expect(try await ids(JobFilter(states: [.processing, .dead])) == ["b"])
        #expect(try await ids(JobFilter(states: [], queues: ["q2", "nowhere"])) == ["b", "d"])
        #expect(try await ids(JobFilter(states: [.pending, .dead], queues: ["q2", "q1"])) == ["a", "c", "d", "e"])
        #expect(try await ids(JobFilter(states: [.processing, .completed], queues: ["q1"])) == [])
        #expect(try await ids(JobFilter(states: [.pending, .processing], queues: ["q2"], limit: 1, offset: 1)) == ["d"])
    }

    @Test("counts report every state", arguments: TestBackend.all)
    func countsPerState(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue(makeJobs(6))
        let now = testEpoch.addingTimeInterval(1)
        let claimed = try await store.claimJobs(registering: ["w1", "w2", "w3", "w4"], queues: [], now: now)
        #expect(claimed.count == 4)
        let results: [Disposition] = [.completed, .retry(at: now.addingTimeInterval(60)), .dead]
        for (job, disposition) in zip(claimed, results) {
            let result = RunResult(disposition: disposition, exitCode: 1, lastError: "x", finishedAt: now)
            #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
        }
        try await store.deregisterWorkers(["w1", "w2", "w3", "w4"])
        #expect(
            try await store.counts(now: now)
                == QueueCounts(pending: 2, processing: 1, completed: 1, failed: 1, dead: 1, workers: 0))
    }
}
