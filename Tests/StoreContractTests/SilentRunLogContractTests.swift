import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// The header and end line of a run that wrote no output (`RunResult.silentRunLog`), on every backend: written
/// with the run's result, read back by `JobLog` in their place among the runs that wrote output, gone with the job.
@Suite("Silent runs' log lines")
struct SilentRunLogContractTests {
    private let policy = RetryPolicy(base: 2, maximum: 60)

    /// A fresh store on `backend` with a data directory, and the job logs they hold.
    private func makeLog(_ backend: TestBackend, in directory: TempDirectory) async throws -> (any JobStore, QueueHome, JobLog) {
        let store = try await backend.makeStore(in: directory)
        let home = QueueHome(root: URL(fileURLWithPath: directory.file("home")))
        try home.prepare()
        return (store, home, JobLog(store: store, home: home))
    }

    /// Claims `id` for `worker` and records a run of it that ended with `outcome`, carrying `silent` as its lines.
    private func recordSilentRun(
        _ id: String, _ outcome: RunOutcome, lines silent: String, fileOffset: Int = 0, in store: any JobStore, worker: String,
        at now: Date = testEpoch
    ) async throws {
        let job = try #require(try await store.claimJobs(registering: [worker], now: now).first)
        #expect(job.id.rawValue == id)
        var result = RunResult(job: job, outcome: outcome, policy: policy, now: now)
        result.silentRunLog = LogMark(fileOffset: fileOffset, bytes: Array(silent.utf8))
        #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
    }

    @Test("a silent run's header and end line are written with its result and read back in order with the output of other runs", arguments: TestBackend.all)
    func silentRunsInOrder(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let (store, home, log) = try await makeLog(backend, in: directory)
        let id = JobID(trusted: "quiet")
        try await store.enqueue([makeJob("quiet", maxRetries: 3)])
        #expect(try await log.read(id, .from(0)).size == 0)

        let first = "--- attempt 1 · t1 · worker w1 ---\n--- end of attempt 1 · exited with code 1 · t2 ---\n"
        try await recordSilentRun("quiet", .exited(1), lines: first, in: store, worker: "w1")
        #expect(try await log.read(id, .from(0)) == LogSlice(bytes: Array(first.utf8), offset: 0, size: first.utf8.count))
        let job = try #require(try await store.job(id))
        #expect(try await log.isMissing(for: job) == false, "a job whose runs printed nothing has no file, and none is missing")

        // The second run printed: its lines are in the file (and, where the store keeps logs, the store's copy).
        let second = "--- attempt 2 · t3 · worker w2 ---\nout\n--- end of attempt 2 · exited with code 1 · t4 ---\n"
        try await writeJobLog(second, of: id, store: store, home: home)
        let third = "--- attempt 3 · t5 · worker w3 ---\n--- end of attempt 3 · exited with code 0 · t6 ---\n"
        try await recordSilentRun(
            "quiet", .succeeded, lines: third, fileOffset: second.utf8.count, in: store, worker: "w3",
            at: testEpoch.addingTimeInterval(60))

        let whole = first + second + third
        #expect(String(decoding: try await log.read(id, .from(0)).bytes, as: UTF8.self) == whole)
        let total = whole.utf8.count
        for start in [0, 10, first.utf8.count, first.utf8.count + 5, total - third.utf8.count - 1, total - 3, total, total + 9] {
            let slice = try await log.read(id, .from(start))
            #expect(slice.offset == min(start, total) && slice.size == total)
            #expect(slice.bytes == Array(Array(whole.utf8)[min(start, total)...]), "from \(start)")
        }
        for count in [0, 1, third.utf8.count + 4, total, total + 100] {
            let slice = try await log.read(id, .tail(count))
            #expect(slice.bytes == Array(Array(whole.utf8).suffix(count)), "tail \(count)")
        }
        #expect(String(decoding: try await log.lastLines(1, of: id).bytes, as: UTF8.self) == "--- end of attempt 3 · exited with code 0 · t6 ---\n")

        // Removed with the job: a new job with the same id starts with an empty log.
        let control = try #require(store as? any JobControlStore)
        _ = try await control.apply(.remove, to: [id], now: testEpoch)
        try? FileManager.default.removeItem(atPath: home.logFile(for: id))
        try await store.enqueue([makeJob("quiet")])
        #expect(try await log.read(id, .from(0)).size == 0)
    }

    @Test("a running job that wrote nothing yet shows its run's header, until the run writes it, and never twice", arguments: TestBackend.all)
    func runningHeader(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let (store, home, log) = try await makeLog(backend, in: directory)
        try await store.enqueue([makeJob("busy")])
        let job = try #require(try await store.claimJobs(registering: ["w1"], now: testEpoch).first)
        let header = try #require(RunHeader(runningJob: job)).text
        #expect(header.hasPrefix("--- attempt 1 · ") && header.hasSuffix(" · worker w1 ---\n"))
        let shown = try await log.read(job.id, .from(0))
        #expect(shown == LogSlice(bytes: Array(header.utf8), offset: 0, size: header.utf8.count))
        #expect(try await log.read(job.id, .tail(4)).bytes == Array(header.utf8.suffix(4)))
        #expect(try await log.read(job.id, .from(header.utf8.count)).bytes.isEmpty)

        // The run writes its header and output, then its end line; until its result is written it is still
        // processing, and its header is not shown a second time.
        let written = header + "out\n--- end of attempt 1 · exited with code 0 · t ---\n"
        try await writeJobLog(written, of: job.id, store: store, home: home)
        #expect(try await store.job(job.id)?.state == .processing)
        #expect(String(decoding: try await log.read(job.id, .from(0)).bytes, as: UTF8.self) == written)
        #expect(String(decoding: try await log.read(job.id, .from(header.utf8.count)).bytes, as: UTF8.self) == "out\n--- end of attempt 1 · exited with code 0 · t ---\n")
    }

    @Test("a silent run's lines never fail its result, stale or of a job removed meanwhile", arguments: TestBackend.all)
    func staleAndRemoved(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let store = try await backend.makeStore(in: directory)
        try await store.enqueue([makeJob("gone", maxRetries: 0)])
        let job = try #require(try await store.claimJobs(registering: ["w1"], now: testEpoch).first)
        let claim = try #require(JobClaim(job))
        var result = RunResult(job: job, outcome: .succeeded, policy: policy, now: testEpoch)
        result.silentRunLog = LogMark(fileOffset: 0, bytes: Array("--- attempt 1 ---\n--- end of attempt 1 ---\n".utf8))
        #expect(try await store.recordResult(result, of: claim))
        #expect(try await store.recordResult(result, of: claim) == false)
        let control = try #require(store as? any JobControlStore)
        _ = try await control.apply(.remove, to: [job.id], now: testEpoch)
        #expect(try await store.recordResult(result, of: claim) == false)
        #expect(try await store.job(job.id) == nil)
    }
}
