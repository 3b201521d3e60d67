import Foundation
import Logging
import PostgresNIO
import QueueCore
import Synchronization

/// The shared store: one PostgreSQL database used by workers and CLI calls on many hosts.
///
/// - Claims lock rows with `FOR UPDATE SKIP LOCKED`, so concurrent claimers on any host never wait
///   for each other or share a job; one statement claims a job for each free worker slot.
/// - Every write about a run is guarded by its claim (`state`, `attempts`, `worker`), as on SQLite.
/// - Leases, due times and claims use the server's clock by default (`PostgresClock`).
/// - Wake-ups use `LISTEN/NOTIFY` (enqueue, DLQ retry, scheduled retry, released job, stop request).
/// - Queries run on a connection pool (`PostgresClient`) whose `run()` task the store owns; `close()`
///   (or releasing the store) ends it so short-lived CLI processes exit promptly.
public final class PostgresJobStore: JobStore, JobWakeupSource, JobLogStore, TaskExecutorPreference {
    /// The server and database, for messages (use `url.redacted` to show it: never the password).
    public let url: PostgresURL
    /// Whose clock stamps and compares instants.
    public let clock: PostgresClock
    private let pools: EventLoopPools
    /// The pool for the calling task: that of its event loop when it runs on one.
    private var client: PostgresClient { pools.current }
    /// The event loops of the pools' connections: a task on one of them queries without a thread hop.
    public var preferredTaskExecutors: [any TaskExecutor] { pools.executors }
    private let runTask: Task<Void, Never>
    private let notifier: PostgresNotifier
    let logger: Logger

    private static let connectionIDs = Atomic<Int>(1)

    /// A process-wide unique id for a dedicated connection (postgres-nio logs it).
    static func nextConnectionID() -> Int {
        connectionIDs.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// Connects to the database `url` names (`postgres://user:pass@host:port/db?sslmode=require`),
    /// migrates it if needed (under an advisory lock, so many hosts starting at once migrate once) and
    /// starts the connection pool.
    ///
    /// - Parameters:
    ///   - clock: `.database` (production) or `.caller` (tests that move time).
    ///   - maximumConnections: the pool's size; one connection per concurrently running query.
    ///   - connectTimeout: how long the first connection may take before the server counts as unreachable.
    ///   - logger: postgres-nio's background logger; the default logs nothing.
    /// - Throws: `invalidInput` for a malformed URL; `storeUnavailable` with one line naming
    ///   `host:port` (never the password) when the server is unreachable or refuses the login.
    public static func connect(
        url text: String, clock: PostgresClock = .database, maximumConnections: Int = 12,
        connectTimeout: Duration = .milliseconds(3500), logger: Logger = Logger(label: "queuectl.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws(QueueError) -> PostgresJobStore {
        let url = try PostgresURL(parsing: text)
        let (connectionConfiguration, clientConfiguration) = try configurations(
            url, maximumConnections: maximumConnections, connectTimeout: connectTimeout)
        do {
            let connection = try await connect(connectionConfiguration, deadline: connectTimeout, logger: logger)
            do {
                try await PostgresMigrations.migrate(connection, logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try? await connection.close()
        } catch is DeadlineExceeded {
            throw .storeUnavailable(
                "cannot reach PostgreSQL at \(url.endpoint): no answer within \(seconds(connectTimeout)) s; check the host, the port and the firewall")
        } catch {
            throw .postgres(unwrap(error), url: url, connecting: true)
        }
        return PostgresJobStore(
            url: url, clock: clock,
            pools: EventLoopPools(
                configuration: clientConfiguration, group: PostgresClient.defaultEventLoopGroup, logger: logger),
            notifier: PostgresNotifier(configuration: connectionConfiguration, logger: logger), logger: logger)
    }

    private init(
        url: PostgresURL, clock: PostgresClock, pools: EventLoopPools, notifier: PostgresNotifier, logger: Logger
    ) {
        self.url = url
        self.clock = clock
        self.pools = pools
        self.notifier = notifier
        self.logger = logger
        runTask = Task { await pools.run() }
    }

    deinit {
        runTask.cancel()
    }

    /// Closes the pool's connections. Queries after this fail.
    public func close() async {
        runTask.cancel()
        await runTask.value
    }

    // MARK: Setup helpers

    /// `duration` in seconds as messages show it (`3.5`, `4`).
    private static func seconds(_ duration: Duration) -> String {
        let millis = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return millis % 1000 == 0 ? "\(millis / 1000)" : String(format: "%.1f", Double(millis) / 1000)
    }

    /// The settings of a dedicated connection and of the pool, from the URL.
    static func configurations(
        _ url: PostgresURL, maximumConnections: Int, connectTimeout: Duration
    ) throws(QueueError) -> (PostgresConnection.Configuration, PostgresClient.Configuration) {
        var tls = TLSConfiguration.makeClientConfiguration()
        // libpq's `prefer` and `require` encrypt without checking the certificate; `verify-full` checks it.
        if url.tlsMode != .verifyFull { tls.certificateVerification = .none }
        let connectionTLS: PostgresConnection.Configuration.TLS
        let clientTLS: PostgresClient.Configuration.TLS
        do {
            switch url.tlsMode {
            case .disable:
                connectionTLS = .disable
                clientTLS = .disable
            case .prefer:
                connectionTLS = .prefer(try NIOSSLContext(configuration: tls))
                clientTLS = .prefer(tls)
            case .require, .verifyFull:
                connectionTLS = .require(try NIOSSLContext(configuration: tls))
                clientTLS = .require(tls)
            }
        } catch {
            throw .storeUnavailable("cannot set up TLS for PostgreSQL at \(url.endpoint): \(error)")
        }
        var connection = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: connectionTLS)
        // A second later than the overall deadline `connect` enforces, so a silent server always gets the
        // same "no answer within N s" line instead of racing NIO's own TCP timeout.
        let tcpTimeout = connectTimeout + .seconds(1)
        connection.options.connectTimeout = .nanoseconds(
            tcpTimeout.components.seconds * 1_000_000_000 + tcpTimeout.components.attoseconds / 1_000_000_000)
        var client = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: clientTLS)
        client.options.maximumConnections = max(maximumConnections, 1)
        client.options.connectTimeout = connectTimeout
        return (connection, client)
    }

    private struct DeadlineExceeded: Error {}

    /// Opens a dedicated connection, giving up after `deadline` (DNS, TCP, TLS and login included).
    /// A connection that completes after the deadline is closed (postgres-nio requires it).
    private static func connect(
        _ configuration: PostgresConnection.Configuration, deadline: Duration, logger: Logger
    ) async throws -> PostgresConnection {
        try await withThrowingTaskGroup(of: PostgresConnection?.self) { group in
            group.addTask {
                try await PostgresConnection.connect(configuration: configuration, id: nextConnectionID(), logger: logger)
            }
            group.addTask {
                try await Task.sleep(for: deadline)
                return nil
            }
            var connection: PostgresConnection?
            var failure: (any Error)?
            do {
                connection = try await group.next() ?? nil
            } catch {
                failure = error
            }
            group.cancelAll()
            while true {
                do {
                    guard let late = try await group.next() else { break }
                    if let late { try? await late.close() }
                } catch {
                    continue
                }
            }
            if let connection { return connection }
            throw failure ?? DeadlineExceeded()
        }
    }

    /// The error inside a transaction wrapper.
    private static func unwrap(_ error: any Error) -> any Error {
        if let transaction = error as? PostgresTransactionError {
            return transaction.closureError ?? transaction.beginError ?? transaction.commitError ?? error
        }
        return error
    }

    // MARK: Access helpers

    /// `now` in milliseconds for `.caller`; nil (the server's clock) for `.database`.
    func stamp(_ now: Date) -> Int64? {
        clock == .caller ? Timestamp.milliseconds(now) : nil
    }

    func rows(_ query: PostgresQuery) async throws(QueueError) -> [PostgresRow] {
        do {
            return try await client.query(query, logger: logger).collect()
        } catch {
            throw .postgres(Self.unwrap(error), url: url)
        }
    }

    private func execute<Statement: PostgresPreparedStatement>(
        _ statement: Statement
    ) async throws(QueueError) -> [Statement.Row] {
        do {
            var rows: [Statement.Row] = []
            for try await row in try await client.execute(statement, logger: logger) { rows.append(row) }
            return rows
        } catch {
            throw .postgres(Self.unwrap(error), url: url)
        }
    }

    static func rows(
        _ query: PostgresQuery, on connection: PostgresConnection, logger: Logger
    ) async throws -> [PostgresRow] {
        let sequence: PostgresRowSequence = try await connection.query(query, logger: logger)
        return try await sequence.collect()
    }

    func transaction<T: Sendable>(
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws(QueueError) -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            throw .postgres(Self.unwrap(error), url: url)
        }
    }

    func decode<each T: PostgresDecodable>(
        _ row: PostgresRow, _ type: (repeat each T).Type
    ) throws(QueueError) -> (repeat each T) {
        do {
            return try row.decode((repeat each T).self)
        } catch {
            throw .operationFailed("unexpected answer from PostgreSQL at \(url.endpoint): \(String(reflecting: error))")
        }
    }

    /// Wakes listeners; a lost notification only delays a worker until its next poll.
    func notify(_ reason: String) async {
        _ = try? await rows(PostgresSQL.notify(reason))
    }

    // MARK: Jobs

    /// One statement inserts the whole batch; a duplicate id (existing or repeated) rolls it all back. Jobs whose
    /// unique key is held insert nothing; their holders are read in the same transaction (READ COMMITTED: each
    /// statement sees what committed before it, so a concurrent enqueuer that won the key is seen). A holder that
    /// ended between the two statements freed its key: those jobs are inserted again, until each has a job.
    @discardableResult
    public func enqueue(_ jobs: [Job]) async throws -> [JobID: Job] {
        guard !jobs.isEmpty else { return [:] }
        let serverStamps = clock == .database
        let logger = logger
        do {
            return try await client.withTransaction(logger: logger) { connection in
                var holders: [JobID: Job] = [:]
                var remaining = jobs
                while !remaining.isEmpty {
                    let query = PostgresSQL.enqueue(rows: try PostgresJobRow.json(remaining), serverStamps: serverStamps)
                    var inserted = Set<String>()
                    for row in try await Self.rows(query, on: connection, logger: logger) {
                        if let id = try row.decode(String?.self) { inserted.insert(id) }
                    }
                    let held = remaining.filter { !inserted.contains($0.id.rawValue) }
                    var holderOfKey: [String: Job] = [:]
                    let keys = held.compactMap(\.uniqueKey)
                    for row in try await Self.rows(PostgresSQL.uniqueKeyHolders(keys), on: connection, logger: logger) {
                        let holder = try Job(postgresRow: row)
                        if let key = holder.uniqueKey { holderOfKey[key] = holder }
                    }
                    remaining = []
                    for job in held {
                        if let key = job.uniqueKey, let holder = holderOfKey[key] {
                            holders[job.id] = holder
                        } else {
                            remaining.append(job)
                        }
                    }
                }
                return holders
            }
        } catch {
            let cause = Self.unwrap(error)
            if let queueError = cause as? QueueError { throw queueError }
            if let psql = cause as? PSQLError, psql.serverInfo?[.sqlState] == "23505" {
                throw try await duplicate(in: jobs) ?? .postgres(psql, url: url)
            }
            throw QueueError.postgres(cause, url: url)
        }
    }

    /// The first job of `jobs` whose id exists already or repeats an earlier one in the batch.
    private func duplicate(in jobs: [Job]) async throws(QueueError) -> QueueError? {
        var existing = Set<String>()
        for row in try await rows(PostgresSQL.existingJobIDs(jobs.map(\.id.rawValue))) {
            existing.insert(try decode(row, String.self))
        }
        var seen = Set<JobID>()
        for job in jobs {
            if existing.contains(job.id.rawValue) || !seen.insert(job.id).inserted { return .duplicateJobID(job.id) }
        }
        return nil
    }

    public func job(_ id: JobID) async throws -> Job? {
        try await rows(PostgresSQL.job(id)).first.map { row throws(QueueError) in try Job(postgresRow: row) }
    }

    /// The ids starting with `prefix`, in byte order, at most `limit` (a range of `queuectl_job_id_bytes`).
    public func jobIDs(withPrefix prefix: JobID, limit: Int) async throws -> [JobID] {
        try await rows(PostgresSQL.jobIDs(withPrefix: prefix, limit: limit)).map { row throws(QueueError) in
            JobID(trusted: try decode(row, String.self))
        }
    }

    public func jobs(_ filter: JobFilter) async throws -> [Job] {
        try await rows(PostgresSQL.jobs(filter)).map { row throws(QueueError) in try Job(postgresRow: row) }
    }

    /// With `.database`, liveness is judged by the server's now, as the leases are.
    public func counts(now: Date, leaseTimeout: TimeInterval) async throws -> QueueCounts {
        var counts = QueueCounts()
        let lease = WorkerLease(timeout: leaseTimeout).milliseconds
        for row in try await rows(PostgresSQL.counts(now: stamp(now), lease: lease)) {
            let (name, count) = try decode(row, (String, Int).self)
            if name.isEmpty {
                counts.workers = count
            } else if let state = JobState(rawValue: name) {
                counts[state] = count
            }
        }
        return counts
    }

    /// Moved jobs keep `exit_code`, `last_error`, `started_at` and `finished_at` as the history of their
    /// last run; `attempts` restarts at 0 and `run_at` is now. Named jobs are checked by
    /// `DeadJobSelection.checkRetryable` against their states, locked in the same transaction.
    public func retryDeadJobs(_ selection: DeadJobSelection, now: Date) async throws -> [JobID] {
        let nowStamp = stamp(now)
        let moved: [JobID]
        switch selection {
        case .all:
            moved = try await rows(PostgresSQL.retryAllDeadJobs(now: nowStamp)).map { row throws(QueueError) in
                JobID(trusted: try decode(row, String.self))
            }
        case .jobs:
            let ids = selection.requestedIDs ?? []
            let logger = logger
            moved = try await transaction { connection in
                var states: [JobID: JobState] = [:]
                for row in try await Self.rows(
                    PostgresSQL.lockJobStates(ids.map(\.rawValue)), on: connection, logger: logger)
                {
                    let (id, state) = try row.decode((String, String).self)
                    states[JobID(trusted: id)] = JobState(rawValue: state) ?? .pending
                }
                try DeadJobSelection.checkRetryable(ids, states: states)
                _ = try await Self.rows(
                    PostgresSQL.retryDeadJobs(ids.map(\.rawValue), now: nowStamp), on: connection, logger: logger)
                return ids
            }
        }
        if !moved.isEmpty { await notify("retry") }
        return moved
    }

    // MARK: Configuration

    public func configuration() async throws -> QueueConfig {
        var stored: [String: String] = [:]
        for row in try await rows(PostgresSQL.configuration()) {
            let (key, value) = try decode(row, (String, String).self)
            stored[key] = value
        }
        return QueueConfig(stored: stored)
    }

    public func setConfiguration(_ key: QueueConfig.Key, to config: QueueConfig) async throws {
        _ = try await rows(PostgresSQL.setConfiguration(key, value: config.value(of: key)))
        // Idle workers re-read the configuration when woken (a new poll interval applies at once).
        await notify("config")
    }

    // MARK: Workers

    public func registerWorkers(_ workers: [WorkerRegistration], now: Date) async throws {
        guard !workers.isEmpty else { return }
        _ = try await rows(PostgresSQL.registerWorkers(workers, now: stamp(now)))
    }

    /// Renews the registered ones of `workers` and reads the runs they hold, in one statement.
    public func renewLeases(_ workers: [String], now: Date) async throws -> LeaseRenewal {
        guard !workers.isEmpty else { return LeaseRenewal(command: .run, registered: [], heldRuns: []) }
        var renewal = LeaseRenewal(command: .run, registered: [], heldRuns: [])
        for row in try await rows(PostgresSQL.renewLeases(workers, now: stamp(now))) {
            let (kind, worker, value, attempt) = try decode(row, (String, String, String, Int64?).self)
            if kind == "w" {
                renewal.registered.insert(worker)
                renewal.command = max(renewal.command, WorkerCommand(rawValue: value) ?? .run)
            } else if let attempt {
                renewal.heldRuns.insert(JobClaim(jobID: JobID(trusted: value), attempt: Int(attempt), worker: worker))
            }
        }
        return renewal
    }

    public func deregisterWorkers(_ workers: [String]) async throws {
        guard !workers.isEmpty else { return }
        _ = try await rows(PostgresSQL.deregisterWorkers(workers))
    }

    /// With `.database`, the instants are moved to this host's clock, so "how long ago" and lease checks made
    /// with this host's `now` (the worker states of `worker list`, `worker stop --all-hosts`) agree with the
    /// server's, whatever this host's clock says.
    public func workers() async throws -> [WorkerRecord] {
        let shift = clock == .database
        return try await rows(PostgresSQL.workers()).map { row throws(QueueError) in
            try WorkerRecord(postgresRow: row, shiftedToCallerClock: shift)
        }
    }

    /// A stop request only strengthens a worker's command (`drain` never softens an `abort`); it reaches
    /// the workers of every host through the database, and wakes them at once.
    public func requestStop(_ command: WorkerCommand, of selection: WorkerSelection) async throws {
        if case .workers(let ids) = selection, ids.isEmpty { return }
        _ = try await rows(PostgresSQL.requestStop(command, of: selection))
        await notify("stop")
    }

    // MARK: Running jobs

    public func claimJobs(for workers: [String], queues: [String], now: Date) async throws -> [Job] {
        guard !workers.isEmpty else { return [] }
        let statement = PostgresSQL.ClaimJobs(now: stamp(now), queues: queues, workers: workers)
        var claimed: [Job] = []
        for row in try await execute(statement) { claimed.append(try Job(postgresRow: row)) }
        return ClaimOrder.sorted(claimed, workers: workers)
    }

    public func recordResult(_ result: RunResult, of claim: JobClaim, thenClaimFrom queues: [String]?) async throws
        -> RecordedResult
    {
        let retryDelay = Self.retryDelay(of: result)
        // A run that wrote no output has no file to ship: its header and end line follow the output's tail.
        let logTail = result.logTail + (result.silentRunLog?.bytes ?? [])
        let increments = result.counterIncrements.sorted { $0.key < $1.key }
        let cancelledIncrements = result.cancelledCounterIncrements.sorted { $0.key < $1.key }
        let statement = PostgresSQL.RecordResult(
            finished: stamp(result.finishedAt), state: result.disposition.state, retryDelay: retryDelay,
            snoozed: result.disposition.isSnooze, yieldsToCancelRequest: result.yieldsToCancelRequest,
            exitCode: result.exitCode, lastError: result.lastError, claim: claim,
            counterNames: increments.map(\.key), counterValues: increments.map(\.value),
            cancelledCounterNames: cancelledIncrements.map(\.key),
            cancelledCounterValues: cancelledIncrements.map(\.value), claimFrom: queues,
            logTail: logTail.isEmpty ? nil : ByteBuffer(bytes: logTail))
        let answer =
            try await statement.logTail == nil
            ? execute(PostgresSQL.RecordSilentResult(result: statement)).first : execute(statement).first
        let applied: Int
        let endedCancelled: Bool
        let claimedID: String?
        do {
            guard let cells = answer?.makeRandomAccess() else { throw QueueError.operationFailed("no row") }
            applied = try cells.named("finished").decode(Int.self)
            endedCancelled = try cells.named("ended_cancelled").decode(Bool.self)
            claimedID = try cells.named(JobColumn.id.rawValue).decode(String?.self)
        } catch {
            throw QueueError.operationFailed("unexpected result answer from PostgreSQL at \(url.endpoint)")
        }
        guard applied > 0 else { return RecordedResult(applied: false) }
        if retryDelay != nil, !endedCancelled { await notify("retry") }
        guard claimedID != nil, let row = answer else { return RecordedResult(applied: true, endedCancelled: endedCancelled) }
        return RecordedResult(applied: true, next: try Job(postgresRow: row), endedCancelled: endedCancelled)
    }

    /// For a retry or a snooze: how many ms after the run's end the job is due again (the server adds it to its
    /// own clock).
    private static func retryDelay(of result: RunResult) -> Int64? {
        guard let at = result.disposition.dueAgainAt else { return nil }
        return Timestamp.milliseconds(at) - Timestamp.milliseconds(result.finishedAt)
    }

    public func recordLostRun(_ result: RunResult, of claim: JobClaim, now: Date, leaseTimeout: TimeInterval)
        async throws -> Bool
    {
        let retryDelay = Self.retryDelay(of: result)
        let increments = result.counterIncrements.sorted { $0.key < $1.key }
        let cancelledIncrements = result.cancelledCounterIncrements.sorted { $0.key < $1.key }
        let query = PostgresSQL.recordLostRun(
            result, of: claim, finished: stamp(result.finishedAt), retryDelay: retryDelay, now: stamp(now),
            lease: WorkerLease(timeout: leaseTimeout).milliseconds, counterNames: increments.map(\.key),
            counterValues: increments.map(\.value), cancelledCounterNames: cancelledIncrements.map(\.key),
            cancelledCounterValues: cancelledIncrements.map(\.value))
        var applied = 0
        if let row = try await rows(query).first { applied = try decode(row, Int.self) }
        if applied > 0, retryDelay != nil { await notify("retry") }
        return applied > 0
    }

    public func releaseJob(_ claim: JobClaim, now: Date) async throws -> Bool {
        let applied = try await !rows(PostgresSQL.releaseJob(claim, now: stamp(now))).isEmpty
        if applied { await notify("release") }
        return applied
    }

    public func jobsOfLostWorkers(now: Date, leaseTimeout: TimeInterval) async throws -> [Job] {
        let lease = WorkerLease(timeout: leaseTimeout).milliseconds
        return try await rows(PostgresSQL.jobsOfLostWorkers(now: stamp(now), lease: lease)).map {
            row throws(QueueError) in try Job(postgresRow: row)
        }
    }

    public func counters() async throws -> [String: Double] {
        var totals: [String: Double] = [:]
        for row in try await rows(PostgresSQL.counters()) {
            let (name, value) = try decode(row, (String, Double).self)
            totals[name] = value
        }
        return totals
    }

    /// With `.database`, the server's instant is translated to this host's clock (the caller sleeps
    /// by its own clock until then).
    public func nextDueTime(queues: [String]) async throws -> Date? {
        guard let row = try await rows(PostgresSQL.nextDueTime(queues: queues)).first else { return nil }
        let (earliest, serverNow) = try decode(row, (Int64?, Int64).self)
        guard let earliest else { return nil }
        switch clock {
        case .caller:
            return Timestamp.date(milliseconds: earliest)
        case .database:
            return Date().addingTimeInterval(Double(earliest - serverNow) / 1000)
        }
    }

    // MARK: Logs

    public func appendLog(_ bytes: [UInt8], to id: JobID) async throws {
        guard !bytes.isEmpty else { return }
        _ = try await rows(PostgresSQL.appendLog(id, chunk: ByteBuffer(bytes: bytes)))
    }

    public func log(of id: JobID, _ range: LogRange) async throws -> LogSlice {
        let (offset, tail): (Int, Bool) =
            switch range {
            case .from(let offset): (max(offset, 0), false)
            case .tail(let count): (max(count, 0), true)
            }
        var size = 0
        var bytes: [UInt8] = []
        var start: Int?
        for row in try await rows(PostgresSQL.readLog(id, offset: Int64(offset), tail: tail)) {
            let (total, chunkEnd, chunk) = try decode(row, (Int, Int?, ByteBuffer?).self)
            size = total
            guard let chunkEnd, let chunk else { continue }
            let first = tail ? max(0, total - offset) : offset
            let chunkStart = chunkEnd - chunk.readableBytes
            let skip = max(0, first - chunkStart)
            if start == nil { start = chunkStart + skip }
            bytes += chunk.getBytes(at: chunk.readerIndex + skip, length: chunk.readableBytes - skip) ?? []
        }
        let first = tail ? max(0, size - offset) : min(offset, size)
        return LogSlice(bytes: bytes, offset: start ?? first, size: size)
    }

    // MARK: Wake-ups

    /// Yields after every enqueue, DLQ retry, stop request, released job, scheduled retry or config
    /// change made by any process on any host using this database (`LISTEN/NOTIFY`).
    public func wakeups() -> AsyncStream<Void> {
        notifier.wakeups()
    }
}
