import Foundation
import Hummingbird
import HummingbirdTesting
import QueueCore
import QueueDashboard
import QueueTestSupport

/// One dashboard over a fresh store in its own temp home, with a manual clock, for router tests.
struct DashboardFixture: Sendable {
    /// The token the dashboard was started with.
    static let token = "0123456789abcdef0123456789abcdef"

    let directory: TempDirectory
    let store: any JobStore
    let home: QueueHome
    let clock: ManualTimeSource
    let dashboard: DashboardApp

    /// A dashboard on `backend`, bound (in its configuration) to `host`.
    init(_ backend: TestBackend, host: String = "127.0.0.1") async throws {
        directory = try TempDirectory()
        home = QueueHome(root: URL(fileURLWithPath: directory.path))
        try home.prepare()
        store = try await backend.makeStore(in: directory)
        clock = ManualTimeSource(testEpoch)
        dashboard = DashboardApp(
            store: store, configuration: DashboardConfiguration(host: host, port: 0, token: Self.token, home: home),
            clock: clock)
    }

    /// Runs `body` against the dashboard's router (no sockets).
    func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = Application(router: dashboard.router())
        return try await app.test(.router, body)
    }

    /// Adds `jobs` to the store.
    func enqueue(_ jobs: [Job]) async throws {
        try await store.enqueue(jobs)
    }

    /// Enqueues a job with no retries in the `graveyard` queue, runs it once with a failing exit, and so leaves it dead.
    @discardableResult
    func makeDeadJob(_ id: String, command: String = "exit 3") async throws -> Job {
        try await runOnce(id, command: command, maxRetries: 0, outcome: .exited(3), expecting: .dead)
    }

    /// Enqueues a job in the `graveyard` queue, claims it, and records one run of it that took 2 s (by the clock)
    /// and ended with `outcome`, as `policy` (by default: backoff only, no exit-code rules) decides; fails unless
    /// the job then is in state `expected`.
    @discardableResult
    func runOnce(
        _ id: String, command: String = "exit 3", maxRetries: Int, outcome: RunOutcome, expecting expected: JobState,
        policy: RetryPolicy = RetryPolicy(base: 2, maximum: 60)
    ) async throws -> Job {
        try await store.enqueue([makeJob(id, command: command, maxRetries: maxRetries, queue: "graveyard", createdAt: clock.now())])
        let claimed = try await store.claimJobs(registering: ["test-worker"], queues: ["graveyard"], now: clock.now())
        try await store.deregisterWorkers(["test-worker"])
        guard let job = claimed.first, job.id.rawValue == id, let claim = JobClaim(job) else {
            throw QueueError.operationFailed("could not claim \(id) to run it")
        }
        clock.advance(by: 2)
        let result = RunResult(job: job, outcome: outcome, policy: policy, now: clock.now())
        _ = try await store.recordResult(result, of: claim)
        guard let ended = try await store.job(job.id), ended.state == expected else {
            throw QueueError.operationFailed("\(id) did not end \(expected.rawValue)")
        }
        return ended
    }
}

/// Request helpers.
extension TestClientProtocol {
    /// Sends a request, with the fixture's token unless `token` says otherwise (nil: no header).
    func send(
        _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, token: String? = DashboardFixture.token
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The body parsed as JSON.
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(buffer: body), options: [.fragmentsAllowed]) }

    /// The body as a JSON object.
    var object: [String: Any] { json as? [String: Any] ?? [:] }

    /// The body as a JSON array of objects.
    var objects: [[String: Any]] { json as? [[String: Any]] ?? [] }

    /// The `error` message of a JSON error answer.
    var errorMessage: String? { object["error"] as? String }
}
