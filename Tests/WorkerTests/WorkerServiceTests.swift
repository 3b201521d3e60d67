import Foundation
import QueueCore
import QueueTestSupport
import QueueWorker
import Testing

@Suite("Worker service")
struct WorkerServiceTests {
    @Test("1,000 jobs drained by 4 workers in two processes' worth of connections each run exactly once", arguments: TestBackend.all)
    func exactlyOnce(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        let output = fixture.file("ids.txt")
        let now = Date()
        let jobs = (1...1000).map { makeJob("job-\($0)", command: "echo $QUEUECTL_JOB_ID >> \(output)", createdAt: now) }
        try await fixture.store.enqueue(jobs)
        let first = try await RunningWorkers.start(store: try await fixture.openStore(), home: fixture.home, count: 2)
        let second = try await RunningWorkers.start(store: try await fixture.openStore(), home: fixture.home, count: 2)
        let drained = try await eventually(timeout: .seconds(400), poll: .milliseconds(200)) {
            try await fixture.store.counts(now: Date()).completed == 1000
        }
        try await first.stop()
        try await second.stop()
        #expect(drained)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 1000)
        #expect(Set(lines) == Set(jobs.map(\.id.rawValue)))
        let counts = try await fixture.store.counts(now: Date())
        #expect(counts.completed == 1000 && counts.processing == 0 && counts.failed == 0 && counts.dead == 0)
    }

    @Test("20 concurrent enqueuers while workers drain lose nothing", arguments: TestBackend.all)
    func concurrentEnqueuers(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        let workers = try await RunningWorkers.start(store: try await fixture.openStore(), home: fixture.home, count: 4)
        // SQLite: 20 separate connections, as 20 processes would hold. PostgreSQL: stores are
        // connection pools, so 4 of them serve the 20 enqueuers without exhausting the server.
        var stores: [any JobStore] = []
        for _ in 0..<(backend == .sqlite ? 20 : 4) { stores.append(try await fixture.openStore()) }
        let enqueuerStores = stores
        try await withThrowingTaskGroup(of: Void.self) { group in
            for enqueuer in 1...20 {
                group.addTask {
                    let store = enqueuerStores[enqueuer % enqueuerStores.count]
                    for index in 1...25 {
                        try await store.enqueue([makeJob("e\(enqueuer)-\(index)", command: "true", createdAt: Date())])
                    }
                }
            }
            try await group.waitForAll()
        }
        let drained = try await eventually(timeout: .seconds(300), poll: .milliseconds(200)) {
            try await fixture.store.counts(now: Date()).completed == 500
        }
        try await workers.stop()
        #expect(drained)
        let counts = try await fixture.store.counts(now: Date())
        #expect(counts.completed == 500 && counts.pending == 0 && counts.processing == 0)
    }

    @Test("a graceful stop lets the running job finish, then deregisters the workers", arguments: TestBackend.all)
    func gracefulDrain(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        let marker = fixture.file("started")
        try await fixture.enqueue("slow", command: "touch \(marker); sleep 1; echo done")
        let workers = try await RunningWorkers.start(store: fixture.store, home: fixture.home, count: 1)
        #expect(try await eventually(timeout: .seconds(120)) { FileManager.default.fileExists(atPath: marker) })
        try await fixture.enqueue("later", command: "true")
        try await workers.stop(.drain)
        let slow = try await fixture.job("slow")
        #expect(slow.state == .completed)
        #expect(slow.exitCode == 0)
        #expect(slow.startedAt != nil && slow.finishedAt != nil && slow.worker == nil)
        #expect(try await fixture.job("later").state == .pending)
        #expect(try await fixture.store.workers().isEmpty)
    }

    @Test("an abort kills the running job and puts it back without counting the attempt", arguments: TestBackend.all)
    func abortPutsBack(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        let pidFile = fixture.file("job.pid")
        try await fixture.enqueue("long", command: "echo $$ > \(pidFile); sleep 1000", maxRetries: 3)
        let workers = try await RunningWorkers.start(store: fixture.store, home: fixture.home, count: 1)
        #expect(try await eventually(timeout: .seconds(120)) { readPid(pidFile) != nil })
        try await workers.stop(.abort)
        let job = try await fixture.job("long")
        #expect(job.state == .pending)
        #expect(job.attempts == 0)
        let pid = try #require(readPid(pidFile))
        #expect(try await eventually(timeout: .seconds(60)) { !processIsRunning(pid) })
    }

    @Test("jobs run in contract order: priority, then run_at, then enqueue order", arguments: TestBackend.all)
    func order(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        let output = fixture.file("order.txt")
        let now = Date()
        try await fixture.store.enqueue([
            makeJob("low", command: "echo low >> \(output)", createdAt: now),
            makeJob("high", command: "echo high >> \(output)", priority: 10, createdAt: now),
            makeJob("low2", command: "echo low2 >> \(output)", createdAt: now),
        ])
        let workers = try await RunningWorkers.start(store: fixture.store, home: fixture.home, count: 1)
        let done = try await eventually(timeout: .seconds(120)) { try await fixture.store.counts(now: Date()).completed == 3 }
        try await workers.stop()
        #expect(done)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "high\nlow\nlow2\n")
    }

    @Test("an idle worker picks up a new job at once, not at the next poll", arguments: TestBackend.all)
    func wakeUp(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend, configure: [(.pollIntervalMilliseconds, "10000")])
        let store = ClaimCountingStore(try await fixture.openStore())
        let workers = try await RunningWorkers.start(store: store, home: fixture.home, count: 1)
        // The worker is idle once its first claim found nothing; then enqueue.
        #expect(try await store.waitForClaimAttempts(1, since: 0))
        let enqueued = ContinuousClock.now
        try await fixture.enqueue("wake", command: "true")
        let picked = try await eventually(timeout: .seconds(60)) { try await fixture.job("wake").state != .pending }
        let pickup = ContinuousClock.now - enqueued
        #expect(try await fixture.waitFor("wake", .completed))
        try await workers.stop()
        #expect(picked)
        // Only a wake-up explains this: the next poll is 10 s away, and heartbeats do not wake the claim loop.
        #expect(pickup < .seconds(4), "picked up after \(pickup)")
    }

    @Test("run durations come from the worker's monotonic clock, whatever its wall clock says", arguments: TestBackend.all)
    func monotonicDuration(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        // A wall clock that never moves (or, on PostgreSQL, a server clock that disagrees with the worker's).
        let frozen = ManualTimeSource(Date())
        try await fixture.enqueue("nap", command: "sleep 0.5", now: frozen.now())
        let counters = try await fixture.countersAfterRunning("nap", clock: frozen)
        let total = counters["run_duration_seconds_sum"] ?? 0
        #expect(counters["run_duration_seconds_count"] == 1)
        #expect(total >= 0.45 && total < 60, "run_duration_seconds_sum \(total)")
    }

    @Test("a job enqueued with a run_at in the past adds its real wait to the pickup delay, not years", arguments: TestBackend.all)
    func pickupDelayFromEnqueue(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        let now = Date()
        try await fixture.store.enqueue([
            makeJob("old", command: "true", runAt: Date(timeIntervalSince1970: 1_000_000_000), createdAt: now)
        ])
        let counters = try await fixture.countersAfterRunning("old")
        let delay = counters["pickup_delay_seconds_sum"] ?? -1
        #expect(delay >= 0 && delay < 60, "pickup_delay_seconds_sum \(delay)")
    }

    @Test("only jobs of the served queues are taken", arguments: TestBackend.all)
    func queues(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        let now = Date()
        try await fixture.store.enqueue([
            makeJob("mail", command: "true", queue: "emails", createdAt: now),
            makeJob("report", command: "true", queue: "reports", createdAt: now),
        ])
        let workers = try await RunningWorkers.start(
            store: fixture.store, home: fixture.home, count: 1, queues: ["emails"])
        let done = try await fixture.waitFor("mail", .completed)
        try await workers.stop()
        #expect(done)
        #expect(try await fixture.job("report").state == .pending)
    }

    @Test("a stop request through the store reaches running workers, which drain and deregister", arguments: TestBackend.all)
    func stopThroughStore(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        let marker = fixture.file("started")
        try await fixture.enqueue("slow", command: "touch \(marker); sleep 1")
        let workers = try await RunningWorkers.start(store: try await fixture.openStore(), home: fixture.home, count: 2)
        #expect(try await eventually(timeout: .seconds(120)) { FileManager.default.fileExists(atPath: marker) })
        try await fixture.store.requestStop(.drain, host: WorkerHost.name)
        #expect(try await eventually(timeout: .seconds(120)) { workers.control.mode == .drain })
        #expect(try await eventually(timeout: .seconds(120)) { try await fixture.store.workers().isEmpty })
        try await workers.stop()
        #expect(try await fixture.job("slow").state == .completed)
    }
}
