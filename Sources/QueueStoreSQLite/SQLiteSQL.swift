import Foundation
import GRDB
import QueueCore

/// Every statement the SQLite store runs, each a small function returning a GRDB `SQL` literal whose
/// interpolated values are bound parameters (never spliced text). Names match `PostgresSQL.swift`.
enum SQLiteSQL {
    /// The columns an enqueue writes (`JobColumn.inserted`).
    static let insertedJobColumns = JobColumn.list(JobColumn.inserted)

    /// The job columns every job query selects (`Job.decodeAll(sqliteRows:)` decodes them by name).
    static let jobColumns = JobColumn.list()

    /// `jobColumns` qualified with the alias `j`.
    private static let qualifiedJobColumns = JobColumn.list(qualifiedBy: "j")

    /// The enqueue insert as plain text with a placeholder per inserted column, prepared once per batch and
    /// reused for every row (an `SQL` literal would be re-prepared per job). Arguments come from
    /// `insertJobArguments(_:)`. A job whose `unique_key` is held adds nothing (no row changed: the caller reads
    /// the holder with `uniqueKeyHolder`); a taken id still fails.
    static let insertJob = """
        INSERT INTO queuectl_job (\(insertedJobColumns))
        VALUES (\(Array(repeating: "?", count: JobColumn.inserted.count).joined(separator: ", ")))
        ON CONFLICT (unique_key) WHERE \(uniqueKeyHeld) DO NOTHING
        """

    /// The bound values of `insertJob` for `job`, in the order of `JobColumn.inserted`.
    static func insertJobArguments(_ job: Job) -> StatementArguments {
        [
            job.id.rawValue, job.command, job.maxRetries, job.priority, Timestamp.milliseconds(job.runAt),
            job.timeout, job.queue, job.state.rawValue, job.attempts, job.exitCode, job.lastError,
            Timestamp.milliseconds(job.createdAt), Timestamp.milliseconds(job.updatedAt),
            job.startedAt.map(Timestamp.milliseconds), job.finishedAt.map(Timestamp.milliseconds), job.worker,
            job.timeoutFromConfig, exitCodeList(job.noRetryExitCodes), job.uniqueKey, jobIDList(job.after),
        ]
    }

    /// How the `no_retry_exit_codes` column holds a list: the codes separated by commas (`2,64`; empty: none),
    /// as `config set` takes them. SQLite has no array type; the list is only ever read whole.
    static func exitCodeList(_ codes: [Int32]) -> String {
        codes.map(String.init).joined(separator: ",")
    }

    /// The codes of a `no_retry_exit_codes` column (unreadable entries, which this store never writes, skipped).
    static func exitCodes(_ text: String) -> [Int32] {
        text.split(separator: ",").compactMap { Int32($0) }
    }

    /// Adds `count` newly inserted jobs in `state` to the per-state counts (there is no INSERT trigger).
    static func countInserted(_ count: Int, state: JobState) -> SQL {
        "UPDATE queuectl_state_count SET count = count + \(count) WHERE state = \(state.rawValue)"
    }

    // MARK: Migrations

    /// Whether the migration table exists.
    static func migrationTableExists() -> SQL {
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'queuectl_migration')"
    }

    /// The highest applied migration.
    static func latestMigration() -> SQL {
        "SELECT max(version) FROM queuectl_migration"
    }

    /// The table of applied migrations (the same columns as on PostgreSQL).
    static func createMigrationTable() -> SQL {
        """
        CREATE TABLE IF NOT EXISTS queuectl_migration (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        )
        """
    }

    /// Every applied migration number.
    static func appliedMigrations() -> SQL {
        "SELECT version FROM queuectl_migration"
    }

    /// Records that `version` was applied, stamped with the database's clock in milliseconds since 1970
    /// (PostgreSQL stamps with the server's `now()` too).
    static func recordMigration(version: Int, name: String) -> SQL {
        """
        INSERT INTO queuectl_migration (version, name, applied_at)
        VALUES (\(version), \(name), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
        """
    }

    // MARK: Reading jobs

    /// One job by id.
    static func job(_ id: JobID) -> SQL {
        "SELECT \(sql: jobColumns) FROM queuectl_job WHERE id = \(id.rawValue)"
    }

    /// The ids starting with `prefix`, in byte order (SQLite's default BINARY collation), at most `limit`. The
    /// range is what the id's unique index serves; the LIKE (with `_`, `%` and `\` escaped, since ids may hold
    /// `_`) states the intent and keeps the answer exact whatever the range's bound assumes.
    static func jobIDs(withPrefix prefix: JobID, limit: Int) -> SQL {
        """
        SELECT id FROM queuectl_job
        WHERE id >= \(prefix.rawValue) AND id < \(prefix.prefixUpperBound)
          AND id LIKE \(likePattern(prefix: prefix.rawValue)) ESCAPE '\\'
        ORDER BY id LIMIT \(max(limit, 0))
        """
    }

    /// A LIKE pattern matching the texts that start with `prefix` literally.
    private static func likePattern(prefix: String) -> String {
        prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// Jobs matching `filter` (states and queues as bound `IN` lists), in enqueue order (`queuectl_job_state`
    /// serves a state filter).
    static func jobs(_ filter: JobFilter) -> SQL {
        var conditions: [SQL] = []
        if !filter.states.isEmpty { conditions.append("state IN \(filter.states.map(\.rawValue))") }
        if !filter.queues.isEmpty { conditions.append("queue IN \(filter.queues)") }
        let whereClause: SQL = conditions.isEmpty ? "" : "WHERE \(conditions.joined(operator: .and))"
        // LIMIT -1 means no limit in SQLite; OFFSET needs a LIMIT.
        let limit = filter.limit.map { max($0, 0) } ?? -1
        return """
            SELECT \(sql: jobColumns) FROM queuectl_job \(whereClause)
            ORDER BY seq LIMIT \(limit) OFFSET \(max(filter.offset, 0))
            """
    }

    /// The number of jobs in each state, from the trigger-maintained table.
    static func stateCounts() -> SQL {
        "SELECT state, count FROM queuectl_state_count"
    }

    /// Workers whose heartbeat is at or after `since` (milliseconds: `WorkerLease.liveSince`).
    static func liveWorkerCount(since: Int64) -> SQL {
        "SELECT COUNT(*) FROM queuectl_worker WHERE heartbeat_at >= \(since)"
    }

    // MARK: Dead letter queue

    /// The state of each of `ids` that exists.
    static func jobStates(_ ids: [String]) -> SQL {
        "SELECT id, state FROM queuectl_job WHERE id IN \(ids)"
    }

    /// The ids of every dead job, in enqueue order.
    static func deadJobIDs() -> SQL {
        "SELECT id FROM queuectl_job WHERE state = \(sql: JobState.dead.sqlLiteral) ORDER BY seq"
    }

    /// Moves the dead jobs among `ids` back to pending with a fresh retry budget (attempts and snoozes 0), due at `now`.
    /// `exit_code`, `last_error`, `started_at` and `finished_at` are kept as the history of the last run.
    static func retryDeadJobs(_ ids: [String], now: Int64) -> SQL {
        """
        UPDATE queuectl_job SET state = \(sql: JobState.pending.sqlLiteral), attempts = 0, snoozes = 0, run_at = \(now),
            updated_at = \(now), worker = NULL
        WHERE state = \(sql: JobState.dead.sqlLiteral) AND id IN \(ids)
        """
    }

    /// Moves every dead job back to pending, like `retryDeadJobs(_:now:)`.
    static func retryAllDeadJobs(now: Int64) -> SQL {
        """
        UPDATE queuectl_job SET state = \(sql: JobState.pending.sqlLiteral), attempts = 0, snoozes = 0, run_at = \(now),
            updated_at = \(now), worker = NULL
        WHERE state = \(sql: JobState.dead.sqlLiteral)
        """
    }

    // MARK: Configuration

    /// Every stored configuration entry.
    static func configuration() -> SQL {
        "SELECT key, value FROM queuectl_config"
    }

    /// Inserts or replaces one configuration entry.
    static func setConfiguration(_ key: QueueConfig.Key, value: String) -> SQL {
        """
        INSERT INTO queuectl_config (key, value) VALUES (\(key.rawValue), \(value))
        ON CONFLICT (key) DO UPDATE SET value = excluded.value
        """
    }

    // MARK: Workers

    /// Registers (or re-registers) a worker, told to run, with a fresh heartbeat.
    static func registerWorker(_ worker: WorkerRegistration, now: Int64) -> SQL {
        """
        INSERT INTO queuectl_worker (id, pid, host, host_id, process_start, queues, started_at, heartbeat_at, command)
        VALUES (\(worker.id), \(worker.pid), \(worker.host), \(worker.hostID), \(worker.processStart),
                \(worker.queues.joined(separator: ",")), \(now), \(now), \(sql: WorkerCommand.run.sqlLiteral))
        ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, host = excluded.host, host_id = excluded.host_id,
            process_start = excluded.process_start, queues = excluded.queues, started_at = excluded.started_at,
            heartbeat_at = excluded.heartbeat_at, command = \(sql: WorkerCommand.run.sqlLiteral)
        """
    }

    /// Renews the heartbeat of `ids` and returns each renewed one's id and command.
    static func renewLeases(_ ids: [String], now: Int64) -> SQL {
        "UPDATE queuectl_worker SET heartbeat_at = \(now) WHERE id IN \(ids) RETURNING id, command"
    }

    /// The runs held by `ids`: id, attempt and worker of their processing jobs (`queuectl_job_state`
    /// reads only the processing rows).
    static func heldRuns(_ ids: [String]) -> SQL {
        "SELECT id, attempts, worker FROM queuectl_job WHERE state = \(sql: JobState.processing.sqlLiteral) AND worker IN \(ids)"
    }

    /// Removes the workers `ids`.
    static func deregisterWorkers(_ ids: [String]) -> SQL {
        "DELETE FROM queuectl_worker WHERE id IN \(ids)"
    }

    /// Every worker with the job it currently holds (derived from the jobs, so it can never disagree).
    static func workers() -> SQL {
        """
        SELECT w.id, w.pid, w.host, w.process_start, w.queues, w.started_at, w.heartbeat_at, w.command,
            (SELECT j.id FROM queuectl_job j WHERE j.state = \(sql: JobState.processing.sqlLiteral) AND j.worker = w.id
             ORDER BY j.seq LIMIT 1) AS job,
            w.host_id
        FROM queuectl_worker w ORDER BY w.started_at, w.id
        """
    }

    /// Asks the `selection` of workers to stop: sets `command` where the worker holds one of
    /// `command.replacedCommands` (the core's order: a later `drain` cannot soften an `abort`; `run` resets).
    static func requestStop(_ command: WorkerCommand, of selection: WorkerSelection) -> SQL {
        let selected: SQL =
            switch selection {
            case .all: "1"
            case .host(let host): "host = \(host)"
            case .workers(let ids): "id IN \(ids)"
            }
        return """
            UPDATE queuectl_worker SET command = \(command.rawValue)
            WHERE \(selected) AND command IN \(command.replacedCommands.map(\.rawValue))
            """
    }

    // MARK: Running jobs

    /// Claims up to `workers.count` due jobs in contract order and hands each to a distinct worker, in one
    /// statement: `due_any` reads the first due rows in claim order of queues that are not paused or full
    /// (`dueInClaimOrder` while none is, `dueAroundHeldQueues` once one is) and `due` keeps those within their
    /// queue's limit (`ClaimQueueParts`: nothing of it while no queue has settings, `queueSettings`), `numbered` ranks them
    /// by counting the picked rows that precede each (k² comparisons of at most `workers.count` rows, and no
    /// TEMP B-TREE as a window function would need), `slots` numbers the worker ids that are registered with
    /// command `run` (the fence: a worker told to stop, or deregistered, gets nothing; the window function
    /// only sorts the few requested ids), and the UPDATE joins rank to slot. Returns the claimed rows (SQLite's
    /// RETURNING cannot name the joined rank: callers order the rows by the position of their worker id). One
    /// worker while no queue has settings is `claimJob`, the same claim with nothing to rank.
    static func claimJobs(for workers: [String], queues: [String], now: Int64, queueSettings: QueueSettingsPresence) -> SQL {
        if workers.count == 1, queueSettings == .none, let worker = workers.first {
            return claimJob(for: worker, queues: queues, now: now)
        }
        let requested = workers.enumerated().map { index, worker -> SQL in "(\(index + 1), \(worker))" }
        let settings = ClaimQueueParts(queueSettings, queues: queues, now: now, count: workers.count)
        return """
            WITH RECURSIVE \(settings.ctes)
            due_any AS MATERIALIZED (\(settings.dueAny)),
            \(settings.due),
            numbered AS MATERIALIZED (
                SELECT d.seq, (
                    SELECT COUNT(*) FROM due e
                    WHERE e.priority > d.priority OR (e.priority = d.priority
                        AND (e.run_at < d.run_at OR (e.run_at = d.run_at AND e.seq <= d.seq)))
                ) AS slot
                FROM due d
            ),
            requested (position, worker) AS (VALUES \(requested.joined(separator: ", "))),
            slots AS (
                SELECT row_number() OVER (ORDER BY r.position) AS slot, r.worker FROM requested r
                WHERE EXISTS (SELECT 1 FROM queuectl_worker w WHERE w.id = r.worker AND w.command = \(sql: WorkerCommand.run.sqlLiteral))
            )
            UPDATE queuectl_job SET state = \(sql: JobState.processing.sqlLiteral), attempts = attempts + 1, started_at = \(now),
                updated_at = \(now), finished_at = NULL, worker = assigned.worker, last_worker = assigned.worker
            FROM (SELECT numbered.seq, slots.worker FROM numbered JOIN slots USING (slot)) AS assigned
            WHERE queuectl_job.seq = assigned.seq
            RETURNING \(sql: jobColumns)
            """
    }

    /// Appended to `releaseJob`: the state the job was left in, so the store adds the counters of the end it
    /// actually wrote (a cancel request may have won).
    static let returningState: SQL = " RETURNING state"

    /// Puts a claimed job back to pending without counting the run, guarded by the claim; when a cancel
    /// request for the run is stored it ends `cancelled` instead (a cancel never becomes another run).
    static func releaseJob(_ claim: JobClaim, now: Int64) -> SQL {
        let cancelWins: SQL = "coalesce(cancel_requested_at >= started_at, 0)"
        return """
        UPDATE queuectl_job SET
            state = CASE WHEN \(cancelWins) THEN \(sql: JobState.cancelled.sqlLiteral) ELSE \(sql: JobState.pending.sqlLiteral) END,
            last_error = CASE WHEN \(cancelWins) THEN \(RunOutcome.cancelledError) ELSE last_error END,
            finished_at = CASE WHEN \(cancelWins) THEN \(now) ELSE finished_at END,
            started_at = CASE WHEN \(cancelWins) THEN started_at END,
            attempts = attempts - 1, worker = NULL, updated_at = \(now)
        WHERE id = \(claim.jobID.rawValue) AND state = \(sql: JobState.processing.sqlLiteral) AND attempts = \(claim.attempt)
          AND worker = \(claim.worker)
        """
    }

    /// Processing jobs whose worker row is missing or whose heartbeat is older than `staleBefore`.
    static func jobsOfLostWorkers(staleBefore: Int64) -> SQL {
        """
        SELECT \(sql: qualifiedJobColumns)
        FROM queuectl_job j LEFT JOIN queuectl_worker w ON w.id = j.worker
        WHERE j.state = \(sql: JobState.processing.sqlLiteral) AND (w.id IS NULL OR w.heartbeat_at < \(staleBefore))
        ORDER BY j.seq
        """
    }

    /// Every run counter.
    static func counters() -> SQL {
        "SELECT name, value FROM queuectl_counter"
    }

    /// The earliest `run_at` among jobs waiting to run (pending or failed) in `queues` (empty: any) that are not
    /// paused or full (`heldQueues`): the first entry of `queuectl_job_due` in each such queue (`presentQueues`),
    /// so a held queue's jobs are never read.
    static func nextDueTime(queues: [String]) -> SQL {
        """
        WITH RECURSIVE \(heldQueues), \(presentQueues(queues, onlyWhileHeld: false))
        SELECT min((
            SELECT run_at FROM queuectl_job INDEXED BY queuectl_job_due
            WHERE queue = c.name AND state IN (\(sql: JobState.claimableLiteral)) AND \(sql: notWaiting)
            ORDER BY run_at LIMIT 1
        ))
        FROM present_queue c WHERE c.name IS NOT NULL AND c.name NOT IN held_queue
        """
    }

    // MARK: Connection setup

    /// Applied to every connection, and again after GRDB's WAL setup (which sets NORMAL): with FULL, a
    /// commit returns only after the WAL is fsynced, so an enqueued job survives a power cut.
    static let synchronousFull = "PRAGMA synchronous = FULL"
    /// For worker daemons (`Durability.deferred`): a commit reaches the OS at once and the disk at the next checkpoint.
    static let synchronousNormal = "PRAGMA synchronous = NORMAL"

    /// A 32 MiB page cache per connection (default 2 MiB): a large batch of random ids (UUIDs) touches
    /// index pages all over the file, and a small cache spills and rewrites them to the WAL many times.
    static let cacheSize = "PRAGMA cache_size = -32768"

    /// The page size of a database this store creates (SQLite's default is 4,096 bytes); a no-op on an existing
    /// one, whose size only a VACUUM could change. Every job transition rewrites one page of the job table and
    /// one of each index its change of state touches, and the WAL takes whole pages: a worker's transaction (a
    /// run's end, its counters and the next claim) wrote 9.3 frames, 37.1 KiB, at 4,096 bytes and 9.7 frames,
    /// 19.4 KiB, at 2,048 (`bench/worker_transaction_bench.py`), with 3% fewer instructions in user space; the
    /// kernel copies half the bytes into the WAL and a checkpoint half as many back. 1,024 wrote 10.5 KiB for about
    /// the same CPU, but a row with a full `log_marks` (`PackedLogMarks.rowLimit`) no longer fits on its page.
    static let pageSize = "PRAGMA page_size = 2048"
}

extension JobState {
    /// The state's name as an SQL string literal, spliced into statement text rather than bound: the partial
    /// indexes (`WHERE state IN ('pending', 'failed')`) serve only statements that name the same literals.
    var sqlLiteral: String { "'\(rawValue)'" }

    /// `JobState.claimable` as an SQL list of literals (`'pending', 'failed'`).
    static let claimableLiteral = claimable.map(\.sqlLiteral).joined(separator: ", ")
}

extension WorkerCommand {
    /// The command's name as an SQL string literal, as `JobState.sqlLiteral`.
    var sqlLiteral: String { "'\(rawValue)'" }
}
