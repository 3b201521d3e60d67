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
        let mark = LogMark(fileOffset: fileOffset, bytes: Array(silent.utf8))
        try await recordSilentRun(id, outcome, mark: mark, in: store, worker: worker, at: now)
    }

    /// Claims `id` for `worker` and records a run of it that ended with `outcome`, carrying `mark`.
    private func recordSilentRun(
        _ id: String, _ outcome: RunOutcome, mark: LogMark, in store: any JobStore, worker: String, at now: Date
    ) async throws {
        let job = try #require(try await store.claimJobs(registering: [worker], now: now).first)
        #expect(job.id.rawValue == id)
        var result = RunResult(job: job, outcome: outcome, policy: policy, now: now)
        result.silentRunLog = mark
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

        try await expectGoneWithJob(id, store: store, home: home, log: log)
    }

    /// Removes job `id` (and its log file, as `remove` does) and checks that a new job with its id starts with an
    /// empty log: the kept lines went with the job, wherever the store kept them.
    private func expectGoneWithJob(_ id: JobID, store: any JobStore, home: QueueHome, log: JobLog) async throws {
        let control = try #require(store as? any JobControlStore)
        _ = try await control.apply(.remove, to: [id], now: testEpoch)
        try? FileManager.default.removeItem(atPath: home.logFile(for: id))
        try await store.enqueue([makeJob(id.rawValue)])
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
        let (store, _, log) = try await makeLog(backend, in: directory)
        try await store.enqueue([makeJob("gone", maxRetries: 0)])
        let job = try #require(try await store.claimJobs(registering: ["w1"], now: testEpoch).first)
        let claim = try #require(JobClaim(job))
        var result = RunResult(job: job, outcome: .succeeded, policy: policy, now: testEpoch)
        let lines = "--- attempt 1 ---\n--- end of attempt 1 ---\n"
        result.silentRunLog = LogMark(fileOffset: 0, bytes: Array(lines.utf8))
        #expect(try await store.recordResult(result, of: claim))
        #expect(try await store.job(job.id)?.state == .completed)
        // Written again by a run that no longer holds the job (a retry after a lost answer): the result changes
        // nothing, the lines are kept all the same (the run did write them).
        #expect(try await store.recordResult(result, of: claim) == false)
        #expect(String(decoding: try await log.read(job.id, .from(0)).bytes, as: UTF8.self) == lines + lines)
        #expect(try await store.job(job.id)?.state == .completed)
        let control = try #require(store as? any JobControlStore)
        _ = try await control.apply(.remove, to: [job.id], now: testEpoch)
        #expect(try await store.recordResult(result, of: claim) == false)
        #expect(try await store.job(job.id) == nil)
    }

    /// Appends `text` to job `id`'s output as a run that printed would: to its log file and, when the store keeps
    /// logs, to the store's copy.
    private func appendOutput(_ text: String, of id: JobID, store: any JobStore, home: QueueHome) async throws {
        let path = home.logFile(for: id)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
        if let logs = store as? any JobLogStore { try await logs.appendLog(Array(text.utf8), to: id) }
    }

    @Test("many silent runs of one job, as lines or as the worker's parts, some between runs that printed, are read back in the order they ran", arguments: TestBackend.all)
    func manySilentRuns(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let (store, home, log) = try await makeLog(backend, in: directory)
        let id = JobID(trusted: "snoozer")
        try await store.enqueue([makeJob("snoozer", maxRetries: 40)])
        var whole = ""
        var fileSize = 0
        // More silent runs than a job's row keeps (SQLite moves them to a table past ~1 KiB): every one must stay
        // where it ran, between the runs that printed.
        for attempt in 1...30 {
            let now = testEpoch.addingTimeInterval(Double(attempt) * 100)
            if attempt % 7 == 0 {
                let printed = "--- attempt \(attempt) · t\(attempt) · worker w ---\nout \(attempt)\n--- end of attempt \(attempt) · exited with code 1 · u\(attempt) ---\n"
                let job = try #require(try await store.claimJobs(registering: ["w\(attempt)"], now: now).first)
                try await appendOutput(printed, of: id, store: store, home: home)
                fileSize += printed.utf8.count
                whole += printed
                #expect(try await store.recordResult(RunResult(job: job, outcome: .exited(1), policy: policy, now: now), of: try #require(JobClaim(job))))
            } else if attempt % 2 == 0 {
                // As the worker makes a silent run's mark: from its parts, which a store may keep instead of the text.
                let started = Timestamp.milliseconds(now)
                let lines = SilentRunLines(
                    attempt: attempt, startedAt: started, worker: "wörker \(attempt)", ending: "exited with code 1",
                    endedAt: started + Int64(attempt) * 37)
                let mark = LogMark(fileOffset: fileSize, silentRun: lines)
                try await recordSilentRun("snoozer", .exited(1), mark: mark, in: store, worker: "w\(attempt)", at: now)
                whole += lines.text
            } else {
                let silent = "--- attempt \(attempt) · 2027-01-15T08:00:\(attempt)Z · worker w\(attempt) ---\n--- end of attempt \(attempt) · exited with code 1 · 2027-01-15T08:01:\(attempt)Z ---\n"
                try await recordSilentRun("snoozer", .exited(1), lines: silent, fileOffset: fileSize, in: store, worker: "w\(attempt)", at: now)
                whole += silent
            }
            #expect(String(decoding: try await log.read(id, .from(0)).bytes, as: UTF8.self) == whole, "after attempt \(attempt)")
        }
        let total = whole.utf8.count
        for start in [0, 1, total / 3, total / 2 + 7, total - 40, total] {
            #expect(try await log.read(id, .from(start)).bytes == Array(Array(whole.utf8)[start...]), "from \(start)")
        }
        #expect(String(decoding: try await log.lastLines(2, of: id).bytes, as: UTF8.self).hasPrefix("--- attempt 30 · "))

        try await expectGoneWithJob(id, store: store, home: home, log: log)
    }

    @Test("a silent run, a restart and another silent run are both read back, the restarted one last", arguments: TestBackend.all)
    func silentRunThenRestart(backend: TestBackend) async throws {
        let directory = try TempDirectory()
        let (store, _, log) = try await makeLog(backend, in: directory)
        let id = JobID(trusted: "again")
        try await store.enqueue([makeJob("again", maxRetries: 0)])
        let first = "--- attempt 1 · a · worker w1 ---\n--- end of attempt 1 · exited with code 0 · b ---\n"
        try await recordSilentRun("again", .succeeded, lines: first, in: store, worker: "w1")
        let control = try #require(store as? any JobControlStore)
        _ = try await control.apply(.restart, to: [id], now: testEpoch.addingTimeInterval(10))
        let second = "--- attempt 1 · c · worker w2 ---\n--- end of attempt 1 · exited with code 0 · d ---\n"
        try await recordSilentRun("again", .succeeded, lines: second, in: store, worker: "w2", at: testEpoch.addingTimeInterval(20))
        #expect(String(decoding: try await log.read(id, .from(0)).bytes, as: UTF8.self) == first + second)
    }
}
