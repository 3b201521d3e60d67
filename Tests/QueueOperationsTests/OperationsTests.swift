import Foundation
import QueueCore
import QueueOperations
import QueueTestSupport
import Testing

/// The operations both surfaces call, on every backend: what each decides before the store makes it atomic.
@Suite("Operations")
struct OperationsTests {
    /// Operations over a fresh store with a manual clock at `testEpoch`.
    private struct Fixture {
        let directory: TempDirectory
        let clock = ManualTimeSource(testEpoch)
        let operations: Operations

        /// With `leaseTimeout` (seconds) set in the store's configuration when given.
        init(_ backend: TestBackend, leaseTimeout: String? = nil) async throws {
            directory = try TempDirectory()
            operations = Operations(store: try await backend.makeStore(in: directory), clock: clock)
            if let leaseTimeout { try await operations.setConfiguration(try ConfigChange(.leaseTimeout, to: leaseTimeout)) }
        }
    }

    @Test("enqueue applies the stored max_retries, stamps the clock's time, and returns the input's warnings",
          arguments: TestBackend.all)
    func enqueueUsesConfigurationAndClock(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        let operations = fixture.operations
        try await operations.setConfiguration(try ConfigChange(.maxRetries, to: "7"))
        let spec = try JobSpec.parseObject(#"{"id":"e1","command":"true","state":"dead"}"#)

        let result = try await operations.enqueue([spec])

        #expect(result.jobs.map(\.id.rawValue) == ["e1"])
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.contains("'state'") == true)
        let stored = try await operations.job(JobID(trusted: "e1"))
        #expect(stored.maxRetries == 7)
        #expect(stored.state == .pending)
        #expect(stored.createdAt == testEpoch)
    }

    @Test("a duplicate id enqueues nothing of the batch", arguments: TestBackend.all)
    func duplicateEnqueuesNothing(backend: TestBackend) async throws {
        // The fixture owns the store's directory: it must outlive every use of the store.
        let fixture = try await Fixture(backend)
        defer { withExtendedLifetime(fixture) {} }
        let operations = fixture.operations
        _ = try await operations.enqueue([try makeSpec(id: "d1")])
        await #expect(throws: QueueError.duplicateJobID(JobID(trusted: "d1"))) {
            _ = try await operations.enqueue([try makeSpec(id: "d2"), try makeSpec(id: "d1")])
        }
        #expect(try await operations.jobs(JobFilter()).map(\.id.rawValue) == ["d1"])
    }

    @Test("a job is found by a unique prefix; an ambiguous prefix and an unknown id are errors",
          arguments: TestBackend.all)
    func jobByPrefix(backend: TestBackend) async throws {
        // The fixture owns the store's directory: it must outlive every use of the store.
        let fixture = try await Fixture(backend)
        defer { withExtendedLifetime(fixture) {} }
        let operations = fixture.operations
        _ = try await operations.enqueue([try makeSpec(id: "alpha-1"), try makeSpec(id: "alpha-2"), try makeSpec(id: "beta-1")])

        #expect(try await operations.job(JobID(trusted: "beta")).id.rawValue == "beta-1")
        await #expect(throws: QueueError.ambiguousJobID("alph", [JobID(trusted: "alpha-1"), JobID(trusted: "alpha-2")])) {
            _ = try await operations.job(JobID(trusted: "alph"))
        }
        await #expect(throws: QueueError.jobNotFound(JobID(trusted: "gamma"))) {
            _ = try await operations.job(JobID(trusted: "gamma"))
        }
    }

    @Test("dead jobs are retried by unique prefix; a job that is not dead moves nothing", arguments: TestBackend.all)
    func retryDeadByPrefix(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend)
        let operations = fixture.operations
        let store = operations.store
        try await store.enqueue([makeJob("dead-one", maxRetries: 0), makeJob("done-one", maxRetries: 0)])
        for job in try await store.claimJobs(registering: ["w1", "w2"], now: testEpoch) {
            let outcome: RunOutcome = job.id.rawValue == "dead-one" ? .exited(2) : .succeeded
            let result = RunResult(job: job, outcome: outcome, policy: RetryPolicy(base: 2, maximum: 60), now: testEpoch)
            #expect(try await store.recordResult(result, of: try #require(JobClaim(job))))
        }

        await #expect(throws: QueueError.jobNotDead(JobID(trusted: "done-one"), .completed)) {
            _ = try await operations.retryDeadJobs(.jobs([JobID(trusted: "dead"), JobID(trusted: "done")]))
        }
        #expect(try await operations.deadJobs().map(\.id.rawValue) == ["dead-one"])

        // A prefix and the full id of one job name it twice: a usage error that moves nothing.
        await #expect(throws: QueueError.invalidInput("'dead' and 'dead-one' both name job 'dead-one'; give each job once")) {
            _ = try await operations.retryDeadJobs(.jobs([JobID(trusted: "dead"), JobID(trusted: "dead-one")]))
        }
        #expect(try await operations.deadJobs().map(\.id.rawValue) == ["dead-one"])

        let moved = try await operations.retryDeadJobs(.jobs([JobID(trusted: "dead")]))
        #expect(moved.map(\.rawValue) == ["dead-one"])
        #expect(try await operations.deadJobs().isEmpty)
        #expect(try await operations.counts().pending == 1)
    }

    @Test("a worker whose heartbeat is older than lease_timeout is lost: not live, not asked to stop, not counted",
          arguments: TestBackend.all)
    func livenessFollowsTheStoredLeaseTimeout(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend, leaseTimeout: "10")
        let operations = fixture.operations
        func registration(_ id: String, pid: Int32, hostID: String) -> WorkerRegistration {
            WorkerRegistration(id: id, pid: pid, host: hostID, processStart: 1, queues: [], hostID: hostID)
        }
        try await operations.store.registerWorkers(
            [registration("old-1", pid: 100, hostID: "far")], now: testEpoch)
        try await operations.store.registerWorkers(
            [
                registration("a-1", pid: 200, hostID: "here"), registration("a-2", pid: 200, hostID: "here"),
                registration("b-1", pid: 300, hostID: "there"),
            ], now: testEpoch.addingTimeInterval(5))
        fixture.clock.advance(by: 12)

        #expect(Set(try await operations.liveWorkers().map(\.id)) == ["a-1", "a-2", "b-1"])
        let states = Dictionary(uniqueKeysWithValues: try await operations.workers().map { ($0.worker.id, $0.state) })
        #expect(states == ["old-1": "lost", "a-1": "idle", "a-2": "idle", "b-1": "idle"])

        let request = try await operations.requestStopOfAllWorkers()
        #expect(request.command == .drain)
        #expect(request.workers.count == 3)
        #expect(request.processCount(on: "here") == 1)
        #expect(request.processCount(notOn: "here") == 1)
        let asked = try await operations.workers().filter { $0.state == "stopping" }.map(\.worker.id)
        #expect(Set(asked) == ["a-1", "a-2", "b-1"])
    }

    @Test("wait's no-worker note judges the workers at the stored lease_timeout and the clock's now",
          arguments: TestBackend.all)
    func availabilityUsesTheStoredLease(backend: TestBackend) async throws {
        let fixture = try await Fixture(backend, leaseTimeout: "10")
        let operations = fixture.operations
        let job = try #require(try await operations.enqueue([try makeSpec(id: "w1")]).jobs.first)
        try await operations.store.registerWorkers(
            [WorkerRegistration(id: "h-1", pid: 100, host: "h", processStart: 1, queues: [])], now: testEpoch)
        fixture.clock.advance(by: 9)
        #expect(try await operations.workerAvailability().note(for: [job]) == nil)
        fixture.clock.advance(by: 2)
        #expect(try await operations.workerAvailability().note(for: [job]) != nil)
    }

    @Test("a config value out of range is refused when the change is made, naming the key", arguments: [
        (QueueConfig.Key.leaseTimeout, "2"), (.maxRetries, "-1"), (.backoffBase, "0.5"), (.noRetryExitCodes, "0"),
    ])
    func badConfigValueIsRefusedUpFront(key: QueueConfig.Key, value: String) throws {
        #expect {
            _ = try ConfigChange(key, to: value)
        } throws: { error in
            guard let error = error as? QueueError, case .invalidInput(let message) = error else { return false }
            return message.contains(key.rawValue)
        }
    }

    @Test("config set changes the one key and config get reads it back as set takes it", arguments: TestBackend.all)
    func configRoundTrip(backend: TestBackend) async throws {
        // The fixture owns the store's directory: it must outlive every use of the store.
        let fixture = try await Fixture(backend)
        defer { withExtendedLifetime(fixture) {} }
        let operations = fixture.operations
        try await operations.setConfiguration(try ConfigChange(.backoffBase, to: "1.5"))
        try await operations.setConfiguration(try ConfigChange(.noRetryExitCodes, to: "2,64"))
        #expect(try await operations.configurationValue(of: .backoffBase) == "1.5")
        #expect(try await operations.configurationValue(of: .noRetryExitCodes) == "2,64")
        #expect(try await operations.configuration().maxRetries == QueueConfig().maxRetries)
    }
}
