import QueueCore
import Testing

/// `JobDependencies`: how `after` ids are checked and resolved, and where a job's dependencies stand.
@Suite("Job dependencies")
struct JobDependenciesTests {
    /// The ids a store with `ids` answers for a prefix.
    private static func candidates(_ ids: [String]) -> @Sendable (JobID) async throws -> [JobID] {
        { given in ids.filter { $0.hasPrefix(given.rawValue) }.map(JobID.init(trusted:)) }
    }

    private static func spec(after: [String]) throws -> JobSpec {
        try JobSpec(command: "true", after: after)
    }

    @Test("ids resolve as everywhere: exact, a unique prefix of 4 or more, also of a job earlier in the batch")
    func resolves() async throws {
        let specs = [try Self.spec(after: ["build-1"]), try Self.spec(after: ["buil", "firs", "build-1"])]
        let resolved = try await JobDependencies.resolve(
            specs, batchIDs: [JobID(trusted: "first-of-batch"), JobID(trusted: "second")],
            storeCandidates: Self.candidates(["build-1", "other"]))
        #expect(resolved == [[JobID(trusted: "build-1")], [JobID(trusted: "build-1"), JobID(trusted: "first-of-batch")]])
    }

    @Test("an unknown id, a later job of the batch, a short prefix or an ambiguous one is refused with exit 1, naming the job")
    func refusals() async throws {
        let store = Self.candidates(["build-1", "build-2"])
        let cases: [([[String]], [String], String)] = [
            ([["nosuch"]], ["a"], "after: no job with id 'nosuch' (in the queue or earlier in this batch); nothing was enqueued"),
            ([[], ["x-later"], []], ["a", "b", "x-later"],
             "job 2: after: no job with id 'x-later' (in the queue or earlier in this batch); nothing was enqueued"),
            ([["bui"]], ["a"], "after: no job with id 'bui' (in the queue or earlier in this batch); nothing was enqueued"),
            ([["build"]], ["a"],
             "after: job id 'build' is ambiguous: it starts the ids 'build-1', 'build-2'; give more of the id; nothing was enqueued"),
        ]
        for (afters, ids, message) in cases {
            let specs = try afters.map { try Self.spec(after: $0) }
            await #expect(throws: QueueError.unresolvedDependency(message)) {
                try await JobDependencies.resolve(specs, batchIDs: ids.map(JobID.init(trusted:)), storeCandidates: store)
            }
        }
        #expect(QueueError.unresolvedDependency("x").exitCode == 1)
    }

    @Test("a prefix matches only jobs earlier in the batch, whatever their ids sort as; several are ambiguous")
    func batchPrefixes() async throws {
        let none = Self.candidates([])
        let ids = ["task-b", "task-a", "x", "task-c"].map(JobID.init(trusted:))
        let ambiguous = try [[], [], ["task"], []].map { try Self.spec(after: $0) }
        await #expect(
            throws: QueueError.unresolvedDependency(
                "job 3: after: job id 'task' is ambiguous: it starts the ids 'task-a', 'task-b'; give more of the id; "
                    + "nothing was enqueued")
        ) {
            try await JobDependencies.resolve(ambiguous, batchIDs: ids, storeCandidates: none)
        }
        let unique = try [[], ["task-"], ["task-a"], ["task-a", "task-b"]].map { try Self.spec(after: $0) }
        let resolved = try await JobDependencies.resolve(unique, batchIDs: ids, storeCandidates: none)
        #expect(resolved.map { $0.map(\.rawValue) } == [[], ["task-b"], ["task-a"], ["task-a", "task-b"]])
    }

    @Test("every job of a large batch may wait for its first job")
    func largeBatchAfterOneJob() async throws {
        let count = 50_000
        let ids = (0..<count).map { JobID(trusted: "job-\($0)") }
        let specs = try [Self.spec(after: [])] + Array(repeating: Self.spec(after: ["job-0"]), count: count - 1)
        let resolved = try await JobDependencies.resolve(specs, batchIDs: ids, storeCandidates: Self.candidates([]))
        #expect(resolved.count == count)
        #expect(resolved.dropFirst().allSatisfy { $0 == [JobID(trusted: "job-0")] })
    }

    @Test("too many ids or an invalid one is a usage error")
    func validation() {
        #expect(throws: QueueError.invalidInput("after may name at most 1000 jobs, got 1001")) {
            try JobDependencies.validated((0...1000).map { "j\($0)" })
        }
        #expect(throws: QueueError.self) { try JobDependencies.validated([""]) }
    }

    @Test("a dependency is waited for while pending, failed or processing; not once completed, ended or removed")
    func statuses() {
        func job(_ id: String, _ state: JobState) -> Job {
            var job = Job(id: JobID(trusted: id), command: "true", maxRetries: 0, runAt: .distantPast, createdAt: .distantPast)
            job.state = state
            return job
        }
        let states: [JobState] = [.pending, .failed, .processing, .completed, .dead, .cancelled]
        var entries: [(id: JobID, job: Job?)] = states.map { (JobID(trusted: $0.rawValue), job($0.rawValue, $0)) }
        entries.append((JobID(trusted: "gone"), nil))
        let statuses = JobDependencies.statuses(entries)
        #expect(statuses.map(\.isWaitedFor) == [true, true, true, false, false, false, false])
        #expect(statuses.last == JobDependencyStatus(id: JobID(trusted: "gone"), state: nil, isWaitedFor: false))
    }
}
