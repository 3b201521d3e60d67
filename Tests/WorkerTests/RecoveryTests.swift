import Foundation
import Logging
import QueueCore
import QueueTestSupport
import QueueWorker
import Testing

@Suite("Recovery of lost work")
struct RecoveryTests {
    private func recovery(_ fixture: WorkerFixture, clock: any TimeSource = SystemTimeSource()) async throws
        -> RecoveryService
    {
        let settings = WorkerSettings.forCurrentProcess(count: 1, queues: [])
        let control = WorkerControl(slots: settings.workerIDs, configuration: try await fixture.store.configuration())
        return RecoveryService(
            store: fixture.store, settings: settings, control: control, home: fixture.home, clock: clock,
            logger: Logger(label: "queuectl.recovery.test"))
    }

    /// A pid that is certainly not running: a child that already exited and was reaped.
    private func deadProcess() throws -> ProcessIdentity {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return ProcessIdentity(pid: process.processIdentifier, startTime: 1)
    }

    /// Registers worker `id` of a process that is certainly not running, on `hostID` (default: this host).
    private func registerDeadWorker(
        _ id: String, hostID: String = WorkerHost.identity, in fixture: WorkerFixture
    ) async throws {
        let dead = try deadProcess()
        let registration = WorkerRegistration(
            id: id, pid: dead.pid, host: WorkerHost.name, processStart: dead.startTime, queues: [], hostID: hostID)
        try await fixture.store.registerWorkers([registration], now: Date())
    }

    @Test("a job held by a worker of this host whose process is gone is recovered at once as 'worker lost'", arguments: TestBackend.all)
    func goneProcess(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        try await fixture.enqueue("orphan", command: "true", maxRetries: 2)
        try await registerDeadWorker("ghost-1", in: fixture)
        let claimed = try await fixture.store.claimJobs(for: ["ghost-1"], queues: [], now: Date())
        #expect(claimed.map(\.id.rawValue) == ["orphan"])

        let recovered = try await recovery(fixture).recoverOnce()
        #expect(recovered.map(\.rawValue) == ["orphan"])
        let job = try await fixture.job("orphan")
        #expect(job.state == .failed)
        #expect(job.lastError == "worker lost")
        #expect(job.attempts == 1)
        #expect(try await fixture.store.workers().isEmpty)
    }

    @Test("recovery ends the lost run in the job's log, on a line of its own, in the store's copy and this host's file", arguments: TestBackend.all)
    func lostRunEndsInLog(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        try await fixture.enqueue("orphan", command: "printf partial; sleep 1000", maxRetries: 2)
        try await registerDeadWorker("ghost-1", in: fixture)
        #expect(try await fixture.store.claimJobs(for: ["ghost-1"], queues: [], now: Date()).count == 1)
        // What the lost run had written: its header and output without a final newline, in its log file and
        // (a store that keeps logs) the store's copy.
        let written = "--- attempt 1 · 2026-01-01T00:00:00Z · worker ghost-1 ---\npartial"
        let path = fixture.home.logFile(for: JobID(trusted: "orphan"))
        try written.write(toFile: path, atomically: false, encoding: .utf8)
        if let logs = fixture.store as? any JobLogStore { try await logs.appendLog(Array(written.utf8), to: JobID(trusted: "orphan")) }

        #expect(try await recovery(fixture).recoverOnce().map(\.rawValue) == ["orphan"])
        let expectedStart = written + "\n--- end of attempt 1 · worker lost: ghost-1 stopped renewing its lease; recovered on host \(WorkerHost.name) · "
        let file = try String(contentsOfFile: path, encoding: .utf8)
        #expect(file.hasPrefix(expectedStart) && file.hasSuffix(" ---\n"), "\(file)")
        let shown = try await JobLog(store: fixture.store, home: fixture.home).read(JobID(trusted: "orphan"), .from(0))
        let text = String(decoding: shown.bytes, as: UTF8.self)
        #expect(text.hasPrefix(expectedStart) && text.hasSuffix(" ---\n"), "\(text)")
        #expect(text.components(separatedBy: "--- end of attempt").count == 2, "one end line: \(text)")
    }

    @Test("recovery of a run that printed nothing writes its header and end line to the log, and creates no file", arguments: TestBackend.all)
    func lostSilentRunInLog(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        try await fixture.enqueue("hushed", command: "sleep 1000", maxRetries: 2)
        try await registerDeadWorker("ghost-1", in: fixture)
        let claimed = try #require(try await fixture.store.claimJobs(for: ["ghost-1"], queues: [], now: Date()).first)
        let startedAt = try #require(claimed.startedAt)

        #expect(try await recovery(fixture).recoverOnce().map(\.rawValue) == ["hushed"])
        #expect(!FileManager.default.fileExists(atPath: fixture.home.logFile(for: claimed.id)))
        let shown = try await JobLog(store: fixture.store, home: fixture.home).read(claimed.id, .from(0))
        let lines = String(decoding: shown.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3, "\(lines)")
        guard lines.count == 3 else { return }
        #expect(lines[0] == "--- attempt 1 · \(Timestamp.format(startedAt)) · worker ghost-1 ---")
        #expect(lines[1].hasPrefix("--- end of attempt 1 · worker lost: ghost-1 stopped renewing its lease; recovered on host \(WorkerHost.name) · "))
        #expect(lines[2].isEmpty)
    }

    @Test("a worker whose lease lapsed loses its job, and its late result is refused", arguments: [TestBackend.sqlite])
    func staleWriteRefused(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend, configure: [(.leaseTimeout, "3")])
        let clock = ManualTimeSource(Date())
        try await fixture.enqueue("held", command: "true", maxRetries: 0, now: clock.now())
        let registration = WorkerRegistration(
            id: "remote-1", pid: 1234, host: "some-other-host", processStart: 1, queues: [])
        try await fixture.store.registerWorkers([registration], now: clock.now())
        let claimed = try #require(try await fixture.store.claimJobs(for: ["remote-1"], queues: [], now: clock.now()).first)

        let service = try await recovery(fixture, clock: clock)
        let early = await service.recoverOnce()
        #expect(early.isEmpty, "lease still valid")
        clock.advance(by: 4)
        let recovered = await service.recoverOnce()
        #expect(recovered.map(\.rawValue) == ["held"])
        #expect(try await fixture.job("held").state == .dead)

        let late = RunResult(job: claimed, outcome: .succeeded, policy: RetryPolicy(base: 2, maximum: 60), now: clock.now())
        let applied = try await fixture.store.recordResult(late, of: try #require(JobClaim(claimed)))
        #expect(!applied)
        let job = try await fixture.job("held")
        #expect(job.state == .dead)
        #expect(job.lastError == "worker lost")
    }

    @Test("a worker of another container with the same host name is left to its lease", arguments: TestBackend.all)
    func sameHostNameOtherContainer(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        try await fixture.enqueue("theirs", command: "true")
        // Its pid means nothing here: it lives in another pid namespace (or on another boot).
        try await registerDeadWorker("twin-1", hostID: WorkerHost.name + "/another-boot/4026531999", in: fixture)
        _ = try await fixture.store.claimJobs(for: ["twin-1"], queues: [], now: Date())

        #expect(try await recovery(fixture).recoverOnce().isEmpty)
        #expect(try await fixture.store.workers().map(\.id) == ["twin-1"])
        #expect(try await fixture.job("theirs").state == .processing)
    }

    @Test("a dead worker whose pid this process reuses has its job recovered at startup", arguments: TestBackend.all)
    func recycledPid(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend, configure: [(.leaseTimeout, "60"), (.backoffBase, "1")])
        try await fixture.enqueue("orphan", command: "true", maxRetries: 2)
        // The dead process had this very pid, and another start time.
        let me = ProcessIdentity.current
        let registration = WorkerRegistration(
            id: "\(WorkerHost.name)-\(me.pid)-1", pid: me.pid, host: WorkerHost.name, processStart: me.startTime - 100,
            queues: [], hostID: WorkerHost.identity)
        try await fixture.store.registerWorkers([registration], now: Date())
        _ = try await fixture.store.claimJobs(for: [registration.id], queues: [], now: Date())

        let workers = try await RunningWorkers.start(store: try await fixture.openStore(), home: fixture.home, count: 1)
        // Well before its 60 s lease could lapse.
        #expect(try await fixture.waitFor("orphan", .completed, timeout: .seconds(20)))
        let job = try await fixture.job("orphan")
        #expect(job.attempts == 2, "the lost run counted")
        #expect(try await !fixture.store.workers().map(\.id).contains(registration.id))
        #expect(workers.settings.workerIDs.allSatisfy { $0 != registration.id }, "ids are unique per incarnation")
        try await workers.stop()
    }

    @Test("registering over a row with the same id but another process recovers that row's jobs first", arguments: TestBackend.all)
    func replacedRow(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend, configure: [(.leaseTimeout, "60"), (.backoffBase, "1")])
        try await fixture.enqueue("adopted", command: "true", maxRetries: 2)
        let stale = WorkerRegistration(
            id: "fixed-worker-1", pid: 999_999, host: "elsewhere", processStart: 5, queues: [],
            hostID: "elsewhere/boot/1")
        try await fixture.store.registerWorkers([stale], now: Date())
        _ = try await fixture.store.claimJobs(for: [stale.id], queues: [], now: Date())

        let settings = WorkerSettings(
            workerIDs: [stale.id], host: WorkerHost.name, queues: [], process: ProcessIdentity.current)
        let workers = try await RunningWorkers.start(
            store: try await fixture.openStore(), home: fixture.home, count: 1, settings: settings)
        #expect(try await fixture.waitFor("adopted", .completed, timeout: .seconds(20)))
        #expect(try await fixture.job("adopted").attempts == 2)
        let row = try #require(try await fixture.store.workers().first { $0.id == stale.id })
        #expect(row.process == ProcessIdentity.current)
        try await workers.stop()
    }
}
