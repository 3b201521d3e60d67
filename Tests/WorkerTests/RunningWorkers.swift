import Foundation
import Logging
import QueueCore
import QueueTestSupport
import QueueWorker

/// Workers running in the test process (a `WorkerDaemon` without signal handling), stopped
/// through their `WorkerControl` as `worker stop` would through the store.
final class RunningWorkers: Sendable {
    let control: WorkerControl
    let settings: WorkerSettings
    private let task: Task<Void, any Error>

    private init(control: WorkerControl, settings: WorkerSettings, task: Task<Void, any Error>) {
        self.control = control
        self.settings = settings
        self.task = task
    }

    /// Starts `count` workers on `store` and waits until they are registered.
    static func start(
        store: any JobStore, home: QueueHome, count: Int, queues: [String] = [],
        clock: any TimeSource = SystemTimeSource(), settings given: WorkerSettings? = nil,
        retryTiming: WorkerService.RetryTiming = .standard
    ) async throws -> RunningWorkers {
        let settings = given ?? WorkerSettings.forCurrentProcess(count: count, queues: queues)
        let control = WorkerControl(slots: settings.workerIDs, configuration: try await store.configuration())
        var logger = Logger(label: "queuectl.worker.test")
        logger.logLevel = .warning
        let daemon = WorkerDaemon(
            store: store, home: home, settings: settings, clock: clock, logger: logger, handlesSignals: false,
            retryTiming: retryTiming)
        let task = Task { try await daemon.run(control: control) }
        let ids = Set(settings.workerIDs)
        let registered = try await eventually(timeout: .seconds(120)) {
            Set(try await store.workers().map(\.id)).isSuperset(of: ids)
        }
        if !registered {
            control.apply(.abort)
            _ = try? await task.value
            throw WorkerTestError("workers \(settings.workerIDs) did not register")
        }
        return RunningWorkers(control: control, settings: settings, task: task)
    }

    /// Asks the workers to stop (`drain` or `abort`) and waits until they returned.
    func stop(_ command: WorkerCommand = .drain) async throws {
        control.apply(command)
        try await task.value
    }
}

/// A failed precondition of a test, with a message.
struct WorkerTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One test's data directory and store.
struct WorkerFixture: Sendable {
    let directory: TempDirectory
    let home: QueueHome
    let databaseURL: String
    let backend: TestBackend
    let store: any JobStore

    init(_ backend: TestBackend, configure: [(QueueConfig.Key, String)] = []) async throws {
        self.backend = backend
        directory = try TempDirectory(prefix: "queuectl-worker")
        home = QueueHome(root: URL(fileURLWithPath: directory.file("home")))
        try home.prepare()
        databaseURL = try await backend.makeDatabaseURL(in: directory)
        store = try await backend.openStore(databaseURL)
        var config = try await store.configuration()
        for (key, value) in [(QueueConfig.Key.pollIntervalMilliseconds, "50")] + configure {
            try config.set(key, to: value)
            try await store.setConfiguration(key, to: config)
        }
    }

    /// Another connection to the same store, as another process would open it.
    func openStore() async throws -> any JobStore {
        try await backend.openStore(databaseURL)
    }

    /// Enqueues one job with a real-time creation stamp.
    @discardableResult
    func enqueue(
        _ id: String, command: String, maxRetries: Int = 0, priority: Int = 0, timeout: Int = 0,
        now: Date = Date()
    ) async throws -> Job {
        let job = makeJob(id, command: command, maxRetries: maxRetries, priority: priority, timeout: timeout, createdAt: now)
        try await store.enqueue([job])
        return job
    }

    /// The job, which must exist.
    func job(_ id: String) async throws -> Job {
        guard let job = try await store.job(JobID(trusted: id)) else { throw WorkerTestError("no job \(id)") }
        return job
    }

    /// Waits until job `id` is in `state`.
    func waitFor(_ id: String, _ state: JobState, timeout: Duration = .seconds(120)) async throws -> Bool {
        try await eventually(timeout: timeout) { try await job(id).state == state }
    }

    /// Runs one worker until job `id` has completed, stops it, and returns the store's counters then.
    func countersAfterRunning(_ id: String, clock: any TimeSource = SystemTimeSource()) async throws -> [String: Double] {
        let workers = try await RunningWorkers.start(store: store, home: home, count: 1, clock: clock)
        let completed = try await waitFor(id, .completed)
        try await workers.stop()
        guard completed else { throw WorkerTestError("job \(id) did not complete") }
        return try await store.counters()
    }

    /// A file path in the test directory.
    func file(_ name: String) -> String { directory.file(name) }
}

/// Whether process `pid` exists and is not a zombie.
func processIsRunning(_ pid: Int32) -> Bool {
    guard pid > 0, let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = text.lastIndex(of: ")")
    else { return false }
    let state = text[text.index(after: close)...].split(separator: " ").first ?? ""
    return state != "Z" && state != "X"
}

/// Reads a pid a job wrote to `path`.
func readPid(_ path: String) -> Int32? {
    (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}
