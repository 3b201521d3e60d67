import CQueueSQLite
import Foundation
import GRDB
import QueueCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The embedded store: one SQLite file in WAL mode, shared by every process on the host.
///
/// Durability: with `.synced` (the default, used by every CLI command) connections run with
/// `PRAGMA synchronous = FULL`, so a write (an `enqueue` above all) returns only after its transaction
/// is fsynced to the WAL. Worker daemons open the store `.deferred` (see `Durability`). Every write is a GRDB `write {}`, an
/// IMMEDIATE transaction, and connections wait up to 30 s for the write lock, so concurrent processes
/// queue up instead of failing with "database is locked".
///
/// Wake-ups travel over Unix datagram sockets beside the database (see `SQLiteWakeupDirectory`).
public final class SQLiteJobStore: JobStore, JobWakeupSource, DedicatedThreadPreference {
    /// The database file.
    public let path: String
    private let pool: DatabasePool
    let wakeupDirectory: SQLiteWakeupDirectory

    /// How far a committed write has travelled when the call returns.
    public enum Durability: Sendable {
        /// fsynced to the WAL: survives a power loss. For enqueue and every other user command.
        case synced
        /// Handed to the OS (`synchronous = NORMAL`): survives the process dying, fsynced at the next
        /// checkpoint or synced commit. For the run transitions of worker daemons, where a power loss
        /// can at worst undo the latest transitions, which lease recovery then turns into a rerun
        /// (at-least-once holds); it saves two fsyncs per job.
        case deferred

        var pragma: String {
            switch self {
            case .synced: SQLiteSQL.synchronousFull
            case .deferred: SQLiteSQL.synchronousNormal
            }
        }
    }

    /// Opens (creating it with mode 0600 if missing) and migrates the database at `path`.
    /// The parent directory must exist. Throws `storeUnavailable` for a file that cannot be opened
    /// or is not an SQLite database.
    public init(path: String, durability: Durability = .synced) throws(QueueError) {
        _ = SQLiteProcessSettings.applied
        self.path = path
        wakeupDirectory = SQLiteWakeupDirectory(databasePath: path)
        func unavailable(_ reason: String) -> QueueError {
            .storeUnavailable("cannot open queue database '\(path)': \(reason)")
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT {
                let directory = (path as NSString).deletingLastPathComponent
                throw unavailable("the directory '\(directory.isEmpty ? "." : directory)' does not exist")
            }
            throw unavailable(String(cString: strerror(code)))
        }
        closeDescriptor(fd)
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            // Before GRDB's WAL setup, the first write to a new file.
            try db.execute(sql: SQLiteSQL.pageSize)
            try db.execute(sql: durability.pragma)
            try db.execute(sql: SQLiteSQL.cacheSize)
            // Every CLI call opens and closes the database. By default the last connection to close checkpoints
            // the WAL into the database file and deletes it, and the next call creates it again: four fsyncs
            // instead of one per enqueue. The WAL is checkpointed by writers as it grows (every 1,000 pages).
            let code = qc_sqlite_keep_wal_on_close(db.sqliteConnection)
            guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
        }
        do {
            pool = try Self.openPool(path: path, configuration: configuration, durability: durability)
        } catch {
            throw unavailable(QueueError.sqliteReason(error))
        }
    }

    /// Opens the pool and brings the schema up to date. The quick read answers the common case (already
    /// migrated) without the write lock; otherwise one IMMEDIATE transaction migrates, so processes that
    /// open a fresh file at once take turns on the write lock.
    ///
    /// Opening can also fail at once with SQLITE_BUSY, which no busy timeout waits out: while the WAL file
    /// is missing or empty (a fresh file, or every last connection closed), GRDB's pool set-up writes in a
    /// deferred transaction, and of several processes doing that at the same moment all but one get
    /// SQLITE_BUSY. Such an open is retried, briefly backing off, for up to 10 seconds.
    private static func openPool(
        path: String, configuration: Configuration, durability: Durability
    ) throws -> DatabasePool {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        var pause = 0.002
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                // GRDB's WAL setup sets NORMAL on the writer after `prepareDatabase`: restore the chosen level.
                try pool.writeWithoutTransaction { db in try db.execute(sql: durability.pragma) }
                if try !pool.read(SQLiteMigrations.isCurrent) {
                    try pool.write(SQLiteMigrations.migrate)
                    // The reader that asked holds the schema from before: SQLite prepares against it, and a statement
                    // naming a partial index the migration redefined (`INDEXED BY`) would fail to prepare there.
                    pool.invalidateReadOnlyConnections()
                }
                return pool
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && clock.now < deadline {
                Thread.sleep(forTimeInterval: pause)
                pause = min(pause * 2, 0.1)
            }
        }
    }

    /// The WAL size above which `close()` checkpoints and truncates it. Every process that opens the
    /// database reads all of the WAL first: at 512 KiB that costs well under a millisecond, and a run of
    /// single enqueues (a few pages each) truncates it about every 30 commands.
    public static let walTruncationThreshold = 512 * 1024

    /// Ends a command's use of the store. Connections keep the WAL when they close (see `init`), so a small
    /// write costs one fsync; but every process that opens the database must first read all of a WAL's
    /// frames, so after a large write (a batch enqueue) the WAL is checkpointed into the database and
    /// truncated here. Busy readers only postpone that to a later command.
    public func close() async {
        var status = stat()
        guard stat(path + "-wal", &status) == 0, Int(status.st_size) > Self.walTruncationThreshold else { return }
        _ = try? await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }

    // MARK: Access helpers

    // On a `DedicatedThread` (a worker's slot) a transaction runs on the calling thread,
    // which may block there for the write lock; anywhere else it is handed to GRDB's queues and awaited, since
    // a thread of Swift's shared pool must never block (`DedicatedThreadPreference`).

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            if DedicatedThread.isCurrent { return try Self.writeOnThisThread(pool, body) }
            return try await pool.writeWithoutTransaction { db in try Self.inWriteTransaction(db, body) }
        } catch {
            throw QueueError.sqlite(error)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            if DedicatedThread.isCurrent { return try Self.readOnThisThread(pool, body) }
            return try await pool.read(body)
        } catch {
            throw QueueError.sqlite(error)
        }
    }

    // Synchronous, so that GRDB's blocking overloads are the ones called (in an async context the async ones win).

    private static func writeOnThisThread<T>(_ pool: DatabasePool, _ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in try inWriteTransaction(db, body) }
    }

    private static func readOnThisThread<T>(_ pool: DatabasePool, _ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    // Statements go through the connection's statement cache: a claim or a result is a handful of
    // statements, and preparing them anew each time costs more than running them.

    static func execute(_ db: Database, _ sql: SQL) throws {
        try db.cachedStatement(literal: sql).execute()
    }

    static func rows(_ db: Database, _ sql: SQL) throws -> [Row] {
        try Row.fetchAll(db.cachedStatement(literal: sql))
    }

    static func fetchJobs(_ db: Database, _ sql: SQL) throws -> [Job] {
        try Job.decodeAll(sqliteRows: rows(db, sql))
    }

    static func milliseconds(_ date: Date) -> Int64 { Timestamp.milliseconds(date) }

    // MARK: Jobs

    /// Inserts the batch in one transaction with one prepared statement, then adds it to the per-state
    /// counts; a duplicate id rolls it all back. A job whose unique key is held inserts nothing, and the holder
    /// is read in the same write transaction (which serialises writers: it cannot end meanwhile). Returns once
    /// the transaction is fsynced.
    @discardableResult
    public func enqueue(_ jobs: [Job]) async throws -> [JobID: Job] {
        guard !jobs.isEmpty else { return [:] }
        let holders = try await write { db -> [JobID: Job] in
            let statement = try db.makeStatement(sql: SQLiteSQL.insertJob)
            var holders: [JobID: Job] = [:]
            var inserted: [JobState: Int] = [:]
            for job in jobs {
                statement.setUncheckedArguments(SQLiteSQL.insertJobArguments(job))
                do {
                    try statement.execute()
                } catch let error as DatabaseError
                    where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
                    || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
                {
                    throw QueueError.duplicateJobID(job.id)
                }
                if db.changesCount > 0 {
                    inserted[job.state, default: 0] += 1
                } else if let key = job.uniqueKey, let holder = try Self.fetchJobs(db, SQLiteSQL.uniqueKeyHolder(key)).first {
                    holders[job.id] = holder
                }
            }
            for (state, count) in inserted.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try Self.execute(db, SQLiteSQL.countInserted(count, state: state))
            }
            return holders
        }
        if holders.count < jobs.count { wakeupDirectory.notify() }
        return holders
    }

    /// The job with this id, or nil.
    public func job(_ id: JobID) async throws -> Job? {
        try await read { db in try Self.fetchJobs(db, SQLiteSQL.job(id)).first }
    }

    /// The ids starting with `prefix`, in byte order, at most `limit` (a range of the id's unique index).
    public func jobIDs(withPrefix prefix: JobID, limit: Int) async throws -> [JobID] {
        try await read { db in
            try Self.rows(db, SQLiteSQL.jobIDs(withPrefix: prefix, limit: limit)).map { row in
                JobID(trusted: try row.decode(atIndex: 0))
            }
        }
    }

    /// Jobs matching `filter`, in enqueue order (`queuectl_job_state` serves a state filter).
    public func jobs(_ filter: JobFilter) async throws -> [Job] {
        try await read { db in try Self.fetchJobs(db, SQLiteSQL.jobs(filter)) }
    }

    /// Jobs per state from the maintained count table (constant time at any size), and workers live at `now`
    /// by `WorkerLease`.
    public func counts(now: Date, leaseTimeout: TimeInterval) async throws -> QueueCounts {
        let liveSince = WorkerLease(timeout: leaseTimeout).liveSince(now)
        return try await read { db in
            var counts = QueueCounts()
            for row in try Self.rows(db, SQLiteSQL.stateCounts()) {
                let name: String = try row.decode(atIndex: 0)
                if let state = JobState(rawValue: name) { counts[state] = try row.decode(atIndex: 1) }
            }
            counts.workers =
                try Int.fetchOne(db.cachedStatement(literal: SQLiteSQL.liveWorkerCount(since: liveSince))) ?? 0
            return counts
        }
    }

    /// Moved jobs keep `exit_code`, `last_error`, `started_at` and `finished_at` as the history of their
    /// last run; `attempts` restarts at 0 and `run_at` is `now`. Named jobs are checked by
    /// `DeadJobSelection.checkRetryable` against their states read in the same transaction.
    public func retryDeadJobs(_ selection: DeadJobSelection, now: Date) async throws -> [JobID] {
        let nowMilliseconds = Self.milliseconds(now)
        let moved: [JobID] = try await write { db in
            guard let ids = selection.requestedIDs else {
                let ids = try String.fetchAll(db.cachedStatement(literal: SQLiteSQL.deadJobIDs()))
                try Self.execute(db, SQLiteSQL.retryAllDeadJobs(now: nowMilliseconds))
                return ids.map(JobID.init(trusted:))
            }
            let chunks = stride(from: 0, to: ids.count, by: 500).map { Array(ids[$0..<min($0 + 500, ids.count)]) }
            var states: [JobID: JobState] = [:]
            for chunk in chunks {
                for row in try Self.rows(db, SQLiteSQL.jobStates(chunk.map(\.rawValue))) {
                    let text: String = try row.decode(atIndex: 1)
                    states[JobID(trusted: try row.decode(atIndex: 0))] = JobState(rawValue: text) ?? .pending
                }
            }
            try DeadJobSelection.checkRetryable(ids, states: states)
            for chunk in chunks {
                try Self.execute(db, SQLiteSQL.retryDeadJobs(chunk.map(\.rawValue), now: nowMilliseconds))
            }
            return ids
        }
        if !moved.isEmpty { wakeupDirectory.notify() }
        return moved
    }

    // MARK: Configuration

    /// The stored configuration; keys never set keep their defaults.
    public func configuration() async throws -> QueueConfig {
        let stored: [String: String] = try await read { db in
            var entries: [String: String] = [:]
            for row in try Self.rows(db, SQLiteSQL.configuration()) {
                entries[try row.decode(atIndex: 0)] = try row.decode(atIndex: 1)
            }
            return entries
        }
        return QueueConfig(stored: stored)
    }

    /// Stores `key`'s value from `config` (inserting or replacing the row).
    public func setConfiguration(_ key: QueueConfig.Key, to config: QueueConfig) async throws {
        let value = config.value(of: key)
        try await write { db in try Self.execute(db, SQLiteSQL.setConfiguration(key, value: value)) }
    }

    // MARK: Workers

    /// Records started workers with command `run` and a heartbeat at `now`; an existing row with the same id
    /// is replaced.
    public func registerWorkers(_ workers: [WorkerRegistration], now: Date) async throws {
        guard !workers.isEmpty else { return }
        let nowMilliseconds = Self.milliseconds(now)
        try await write { db in
            for worker in workers {
                try Self.execute(db, SQLiteSQL.registerWorker(worker, now: nowMilliseconds))
            }
        }
    }

    /// Renews the registered ones of `workers` and reads the runs they hold, in one transaction.
    public func renewLeases(_ workers: [String], now: Date) async throws -> LeaseRenewal {
        guard !workers.isEmpty else { return LeaseRenewal(command: .run, registered: [], heldRuns: []) }
        let nowMilliseconds = Self.milliseconds(now)
        return try await write { db in
            var registered = Set<String>()
            var command = WorkerCommand.run
            for row in try Self.rows(db, SQLiteSQL.renewLeases(workers, now: nowMilliseconds)) {
                registered.insert(try row.decode(atIndex: 0))
                let text: String = try row.decode(atIndex: 1)
                command = max(command, WorkerCommand(rawValue: text) ?? .run)
            }
            var held = Set<JobClaim>()
            for row in try Self.rows(db, SQLiteSQL.heldRuns(workers)) {
                let id: String = try row.decode(atIndex: 0)
                held.insert(
                    JobClaim(jobID: JobID(trusted: id), attempt: try row.decode(atIndex: 1), worker: try row.decode(atIndex: 2)))
            }
            return LeaseRenewal(command: command, registered: registered, heldRuns: held)
        }
    }

    /// Removes the rows of exited workers.
    public func deregisterWorkers(_ workers: [String]) async throws {
        guard !workers.isEmpty else { return }
        try await write { db in try Self.execute(db, SQLiteSQL.deregisterWorkers(workers)) }
    }

    /// Every registered worker, oldest first, with the job it holds derived from the jobs table.
    public func workers() async throws -> [WorkerRecord] {
        try await read { db in
            try Self.rows(db, SQLiteSQL.workers()).map { row throws(QueueError) in
                try WorkerRecord(sqliteRow: row)
            }
        }
    }

    /// A stop request only strengthens a worker's command (`drain` never softens an `abort`).
    public func requestStop(_ command: WorkerCommand, of selection: WorkerSelection) async throws {
        if case .workers(let ids) = selection, ids.isEmpty { return }
        try await write { db in try Self.execute(db, SQLiteSQL.requestStop(command, of: selection)) }
        wakeupDirectory.notify()
    }

    // MARK: Running jobs

    /// Claims up to `workers.count` due jobs in one statement; the i-th job in contract order goes to the i-th
    /// worker. Returned in that order.
    public func claimJobs(for workers: [String], queues: [String], now: Date) async throws -> [Job] {
        guard !workers.isEmpty else { return [] }
        let nowMilliseconds = Self.milliseconds(now)
        let claimed = try await write { db in
            try Self.claimJobs(db, for: workers, queues: queues, now: nowMilliseconds)
        }
        // RETURNING cannot name the slot a job went to: put them back in the order of their workers.
        return ClaimOrder.sorted(claimed, workers: workers)
    }

    /// Writes the end of a run if the claim still holds, adding the run counters and claiming the worker's
    /// next job in the same transaction. A retry or a snooze wakes listeners so idle workers recompute when to look
    /// again.
    public func recordResult(_ result: RunResult, of claim: JobClaim, thenClaimFrom queues: [String]?) async throws
        -> RecordedResult
    {
        // Bound before the transaction: every claimer's end waits for the one writer, so its work stays SQLite's.
        let end = SQLiteSQL.RunEndValues(result, of: claim)
        let recorded = try await write { db -> RecordedResult in
            var endedCancelled = try Self.writeEnd(db, end, of: result)
            if endedCancelled == nil, end.marks != nil {
                // A silent run's marks ride in the end's UPDATE, which then applies only while the row has room for
                // them. Nothing changed: the row is full (its marks move to the table first) or the claim no longer
                // holds (the marks are kept all the same). Both the long way, then the end alone.
                try Self.insertLogMark(db, result.silentRunLog, of: claim.jobID)
                var withoutMarks = end
                withoutMarks.marks = nil
                endedCancelled = try Self.writeEnd(db, withoutMarks, of: result)
            }
            guard let endedCancelled else { return RecordedResult(applied: false) }
            guard let queues else { return RecordedResult(applied: true, endedCancelled: endedCancelled) }
            let next = try Self.claimJobs(
                db, for: [claim.worker], queues: queues, now: Self.milliseconds(result.finishedAt))
            return RecordedResult(applied: true, next: next.first, endedCancelled: endedCancelled)
        }
        if recorded.applied, !recorded.endedCancelled, result.disposition.dueAgainAt != nil { wakeupDirectory.notify() }
        return recorded
    }

    /// Writes the end of a lost worker's run if the claim still holds and the worker's lease has lapsed at
    /// `now`, adding the run counters in the same transaction.
    public func recordLostRun(_ result: RunResult, of claim: JobClaim, now: Date, leaseTimeout: TimeInterval)
        async throws -> Bool
    {
        let end = SQLiteSQL.RunEndValues(
            result, of: claim, staleBefore: WorkerLease(timeout: leaseTimeout).liveSince(now))
        let applied = try await write { db in
            try Self.writeEnd(db, end, of: result) != nil
        }
        if applied, result.disposition.dueAgainAt != nil { wakeupDirectory.notify() }
        return applied
    }

    /// Puts a claimed job back to pending (attempts - 1) if the claim still holds, and wakes listeners; a job
    /// that ends cancelled instead counts in the run counters (`RunMetrics.cancelledReleaseIncrements`).
    public func releaseJob(_ claim: JobClaim, now: Date) async throws -> Bool {
        let nowMilliseconds = Self.milliseconds(now)
        let applied = try await write { db in
            let update = SQLiteSQL.releaseJob(claim, now: nowMilliseconds) + SQLiteSQL.returningState
            guard let row = try Self.rows(db, update).first else { return false }
            if row[0] as String == JobState.cancelled.rawValue { try Self.addCounters(db, RunMetrics.cancelledReleaseIncrements) }
            return true
        }
        if applied { wakeupDirectory.notify() }
        return applied
    }

    /// Processing jobs whose worker row is missing or whose heartbeat is older than `leaseTimeout` at `now`.
    public func jobsOfLostWorkers(now: Date, leaseTimeout: TimeInterval) async throws -> [Job] {
        let staleBefore = WorkerLease(timeout: leaseTimeout).liveSince(now)
        return try await read { db in try Self.fetchJobs(db, SQLiteSQL.jobsOfLostWorkers(staleBefore: staleBefore)) }
    }

    /// Every run counter's total: its row of `queuectl_counter` plus the runs of `queuectl_run_tally` that add to it.
    public func counters() async throws -> [String: Double] {
        try await read { db in
            var totals: [String: Double] = [:]
            for row in try Self.rows(db, SQLiteSQL.counters()) {
                totals[try row.decode(atIndex: 0)] = try row.decode(atIndex: 1)
            }
            for row in try Row.fetchAll(db.cachedStatement(sql: SQLiteSQL.runTallies)) {
                // A row no version of queuectl writes (an outcome it does not know) counts nowhere.
                guard let outcome = RunTally.Outcome(rawValue: try row.decode(atIndex: 0)) else { continue }
                let bins: [Int?] = try [row.decode(atIndex: 1) as Int, row.decode(atIndex: 2) as Int].map {
                    $0 == SQLiteSQL.noSampleBin ? nil : $0
                }
                RunMetrics.add(
                    RunTally.Cell(outcome: outcome, runBin: bins[0], pickupBin: bins[1]), runs: try row.decode(atIndex: 3),
                    runSeconds: try row.decode(atIndex: 4), pickupSeconds: try row.decode(atIndex: 5), to: &totals)
            }
            return totals
        }
    }

    /// The earliest `run_at` among pending and failed jobs of `queues` (empty: any), one index probe.
    public func nextDueTime(queues: [String]) async throws -> Date? {
        let earliest = try await read { db in
            try Int64.fetchOne(db.cachedStatement(literal: SQLiteSQL.nextDueTime(queues: queues)))
        }
        return earliest.map(Timestamp.date(milliseconds:))
    }

    // MARK: Wake-ups

    /// Yields after every enqueue, DLQ retry, stop request, released job or scheduled retry made by any
    /// process using this database file.
    public func wakeups() -> AsyncStream<Void> {
        wakeupDirectory.listen()
    }
}

/// `close(2)`, out of reach by that name inside `SQLiteJobStore`, whose own `close()` hides it.
private func closeDescriptor(_ fd: Int32) {
    close(fd)
}
