import Foundation
import Logging
import QueueCore
import QueueTestSupport
import QueueWorker
import Testing

/// Retention: workers delete finished jobs older than their state's retention, with their logs.
@Suite("Retention")
struct RetentionServiceTests {
    private func retention(
        _ fixture: WorkerFixture, store: (any JobStore)? = nil, clock: any TimeSource, interval: Duration = .seconds(60),
        batchSize: Int = RetentionPolicy.batchSize
    ) -> RetentionService {
        var logger = Logger(label: "queuectl.retention.test")
        logger.logLevel = .warning
        return RetentionService(
            store: store ?? fixture.store, home: fixture.home, clock: clock, interval: interval, batchSize: batchSize,
            logger: logger)
    }

    /// Finished jobs `ids` in `state`, finished `age` seconds before `now`, each with a log file and stored log.
    private func finished(
        _ ids: [String], state: JobState = .completed, age: TimeInterval, now: Date, in fixture: WorkerFixture
    ) async throws {
        try await fixture.store.enqueue(ids.map { makeFinishedJob($0, state: state, finishedAt: now.addingTimeInterval(-age)) })
        for id in ids {
            try await writeJobLog("output\n", of: JobID(trusted: id), store: fixture.store, home: fixture.home)
        }
    }

    private func exists(_ id: String, in fixture: WorkerFixture) async throws -> Bool {
        try await fixture.store.job(JobID(trusted: id)) != nil
    }

    @Test("a pass deletes the jobs older than their state's retention with their logs, once per interval",
          arguments: TestBackend.all)
    func pass(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend, configure: [(.retentionCompleted, "3600")])
        let clock = ManualTimeSource(testEpoch)
        try await finished(["done-old-1", "done-old-2", "done-old-3"], age: 7200, now: testEpoch, in: fixture)
        try await finished(["done-new"], age: 60, now: testEpoch, in: fixture)
        try await finished(["dead-old"], state: .dead, age: 7200, now: testEpoch, in: fixture)
        try await fixture.store.enqueue([makeJob("waiting", createdAt: testEpoch.addingTimeInterval(-7200))])
        let service = retention(fixture, clock: clock, batchSize: 2)

        #expect(await service.pruneOnce() == 3)
        for id in ["done-old-1", "done-old-2", "done-old-3"] {
            #expect(try await !exists(id, in: fixture))
            #expect(!FileManager.default.fileExists(atPath: fixture.home.logFile(for: JobID(trusted: id))))
        }
        for id in ["done-new", "dead-old", "waiting"] { #expect(try await exists(id, in: fixture), "\(id)") }
        #expect(FileManager.default.fileExists(atPath: fixture.home.logFile(for: JobID(trusted: "dead-old"))))

        // A dead job is kept until retention_dead says otherwise, and then only from the next turn on.
        var config = try await fixture.store.configuration()
        try config.set(.retentionDead, to: "3600")
        try await fixture.store.setConfiguration(.retentionDead, to: config)
        #expect(await service.pruneOnce() == 0, "the turn was taken less than an interval ago")
        #expect(try await exists("dead-old", in: fixture))
        clock.advance(by: 60)
        #expect(await service.pruneOnce() == 1)
        #expect(try await !exists("dead-old", in: fixture))
        #expect(try await exists("done-new", in: fixture))
        #expect(try await exists("waiting", in: fixture))
    }

    @Test("with every retention 0 nothing is deleted, and the turn is left for later", arguments: TestBackend.all)
    func keepForever(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(
            backend, configure: [(.retentionCompleted, "0"), (.retentionCancelled, "0"), (.retentionDead, "0")])
        let clock = ManualTimeSource(testEpoch)
        try await finished(["ancient"], age: 10 * 365 * 86_400, now: testEpoch, in: fixture)
        let service = retention(fixture, clock: clock)
        #expect(await service.pruneOnce() == 0)
        #expect(try await exists("ancient", in: fixture))

        var config = try await fixture.store.configuration()
        try config.set(.retentionCompleted, to: "86400")
        try await fixture.store.setConfiguration(.retentionCompleted, to: config)
        #expect(await service.pruneOnce() == 1, "a pass that had nothing to do took no turn")
    }

    @Test("of two workers' services on one store, one prunes per interval", arguments: TestBackend.all)
    func oneTurnForTwo(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend, configure: [(.retentionCompleted, "60")])
        let clock = ManualTimeSource(testEpoch)
        try await finished((1...5).map { "old-\($0)" }, age: 3600, now: testEpoch, in: fixture)
        let first = retention(fixture, clock: clock)
        let second = retention(fixture, store: try await fixture.openStore(), clock: clock)

        async let a = first.pruneOnce()
        async let b = second.pruneOnce()
        let counts = await [a, b]
        #expect(counts.sorted() == [0, 5])
    }

    @Test("running, the service prunes again every interval", arguments: TestBackend.all)
    func runsEveryInterval(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend, configure: [(.retentionCompleted, "60")])
        let now = Date()
        try await finished(["first"], age: 3600, now: now, in: fixture)
        let service = retention(fixture, clock: SystemTimeSource(), interval: .milliseconds(300))
        let running = Task { try await service.run() }
        defer { running.cancel() }
        #expect(try await eventually { try await !exists("first", in: fixture) })
        try await finished(["second"], age: 3600, now: now, in: fixture)
        #expect(try await eventually { try await !exists("second", in: fixture) })
    }

    @Test("a worker process prunes when it starts", arguments: TestBackend.all)
    func workersPrune(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend, configure: [(.retentionCompleted, "60")])
        try await finished(["stale"], age: 3600, now: Date(), in: fixture)
        try await finished(["fresh"], age: 0, now: Date(), in: fixture)
        let workers = try await RunningWorkers.start(store: fixture.store, home: fixture.home, count: 1)
        #expect(try await eventually { try await !exists("stale", in: fixture) })
        #expect(try await exists("fresh", in: fixture))
        try await workers.stop()
    }
}
