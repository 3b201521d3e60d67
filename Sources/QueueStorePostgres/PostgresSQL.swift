import Foundation
import PostgresNIO
import QueueCore

/// Every statement the PostgreSQL store runs, each a small function returning a `PostgresQuery` whose
/// interpolated values are bound parameters (never spliced text). Names match `SQLiteSQL.swift`.
///
/// Time: statements that read or write an instant start with a `clock` CTE whose `t` is the `now` the
/// caller passed (`PostgresClock.caller`) or, when that is NULL, the server's statement time in
/// milliseconds (`PostgresClock.database`), so hosts with skewed clocks agree on leases and due times.
enum PostgresSQL {
    /// The channel `LISTEN`/`NOTIFY` wake-ups travel on (per database, so apps sharing a server don't mix).
    static let wakeupChannel = "queuectl_jobs"

    /// The server's statement time in whole milliseconds since 1970.
    static let databaseNow = "(extract(epoch FROM statement_timestamp()) * 1000)::bigint"

    /// The columns an enqueue writes (`JobColumn.inserted`).
    static let insertedJobColumns = JobColumn.list(JobColumn.inserted)

    /// The job columns every job query selects (`Job(postgresRow:)` decodes them by name).
    static let jobColumns = JobColumn.list()

    /// `jobColumns` qualified with the alias `j`.
    fileprivate static let qualifiedJobColumns = JobColumn.list(qualifiedBy: "j")

    // MARK: Migrations

    /// Whether the migration table exists (on the search path).
    static func migrationTableExists() -> PostgresQuery {
        "SELECT to_regclass('queuectl_migration') IS NOT NULL"
    }

    /// The highest applied migration.
    static func latestMigration() -> PostgresQuery {
        "SELECT max(version)::bigint FROM queuectl_migration"
    }

    /// Waits for the migration lock, held until the transaction ends.
    static func lockMigrations(key: Int64) -> PostgresQuery {
        "SELECT pg_advisory_xact_lock(\(key))::text"
    }

    /// The table of applied migrations.
    static func createMigrationTable() -> PostgresQuery {
        """
        CREATE TABLE IF NOT EXISTS queuectl_migration (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at BIGINT NOT NULL
        )
        """
    }

    /// Every applied migration number.
    static func appliedMigrations() -> PostgresQuery {
        "SELECT version::bigint FROM queuectl_migration"
    }

    /// Records that `version` was applied.
    static func recordMigration(version: Int, name: String) -> PostgresQuery {
        """
        INSERT INTO queuectl_migration (version, name, applied_at)
        VALUES (\(version), \(name), \(unescaped: databaseNow))
        """
    }

    // MARK: Jobs

    /// Inserts the jobs described by `rows` (a JSON array, see `PostgresJobRow`) in array order, all or
    /// nothing except a job whose unique key is held (it inserts nothing), answers the ids inserted (and one
    /// NULL row, the notification's), and wakes listeners when the transaction commits. With `serverStamps` (the `.database`
    /// clock) the server's now becomes `created_at` and `updated_at`, and the `run_at` of a job enqueued to
    /// run now (due at its creation instant), so a host whose clock runs behind cannot put its jobs ahead
    /// of earlier ones, nor one running ahead make them wait. A `delay` or an explicit `run_at` stays as the
    /// enqueuing host computed it.
    static func enqueue(rows: String, serverStamps: Bool) -> PostgresQuery {
        """
        WITH clock AS (SELECT \(unescaped: databaseNow) AS t),
        inserted AS (
            INSERT INTO queuectl_job (\(unescaped: insertedJobColumns))
            SELECT r.id, r.command, r.max_retries, r.priority,
                CASE WHEN \(serverStamps) AND r.run_at = r.created_at THEN clock.t ELSE r.run_at END,
                r.timeout, r.queue, r.state, r.attempts, r.exit_code, r.last_error,
                CASE WHEN \(serverStamps) THEN clock.t ELSE r.created_at END,
                CASE WHEN \(serverStamps) THEN clock.t ELSE r.updated_at END,
                r.started_at, r.finished_at, r.worker, r.timeout_from_config, r.no_retry_exit_codes, r.unique_key, r.after
            FROM jsonb_to_recordset(\(rows)::jsonb) AS r(
                ord BIGINT, id TEXT, command TEXT, max_retries INTEGER, priority BIGINT, run_at BIGINT,
                timeout INTEGER, queue TEXT, state TEXT, attempts INTEGER, exit_code INTEGER, last_error TEXT,
                created_at BIGINT, updated_at BIGINT, started_at BIGINT, finished_at BIGINT, worker TEXT,
                timeout_from_config BOOLEAN, no_retry_exit_codes INTEGER[], unique_key TEXT, after TEXT[]),
                clock
            ORDER BY r.ord
            ON CONFLICT (unique_key) WHERE \(unescaped: uniqueKeyHeld) DO NOTHING
            RETURNING id
        )
        SELECT inserted.id FROM inserted
        UNION ALL
        SELECT NULL FROM (SELECT pg_notify(\(wakeupChannel), 'enqueue')) AS notified
        """
    }

    /// Which of `ids` exist already (to name the duplicate after a unique violation).
    static func existingJobIDs(_ ids: [String]) -> PostgresQuery {
        "SELECT id FROM queuectl_job WHERE id = ANY(\(ids)::text[])"
    }

    /// One job by id.
    static func job(_ id: JobID) -> PostgresQuery {
        "SELECT \(unescaped: jobColumns) FROM queuectl_job WHERE id = \(id.rawValue)"
    }

    /// The ids starting with `prefix`, in byte order, at most `limit`. The comparisons are in the "C" collation
    /// so that the range is a byte range (in a language collation it is not a prefix range) and
    /// `queuectl_job_id_bytes` (migration 006) serves it; the LIKE (with `_`, `%` and `\` escaped, since ids
    /// may hold `_`) states the intent and keeps the answer exact whatever the range's bound assumes.
    static func jobIDs(withPrefix prefix: JobID, limit: Int) -> PostgresQuery {
        """
        SELECT id FROM queuectl_job
        WHERE id COLLATE "C" >= \(prefix.rawValue) AND id COLLATE "C" < \(prefix.prefixUpperBound)
          AND id LIKE \(likePattern(prefix: prefix.rawValue)) ESCAPE '\\'
        ORDER BY id COLLATE "C" LIMIT \(Int64(max(limit, 0)))
        """
    }

    /// A LIKE pattern matching the texts that start with `prefix` literally.
    private static func likePattern(prefix: String) -> String {
        prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// Jobs matching `filter`, in enqueue order (`queuectl_job_state` serves a state filter;
    /// `LIMIT NULL` means no limit). States and queues are bound as arrays (an empty one: no restriction),
    /// so one prepared statement serves every filter.
    static func jobs(_ filter: JobFilter) -> PostgresQuery {
        let limit = filter.limit.map { Int64(max($0, 0)) }
        let states = filter.states.map(\.rawValue)
        return """
            SELECT \(unescaped: jobColumns) FROM queuectl_job
            WHERE (cardinality(\(states)::text[]) = 0 OR state = ANY(\(states)::text[]))
              AND (cardinality(\(filter.queues)::text[]) = 0 OR queue = ANY(\(filter.queues)::text[]))
            ORDER BY seq LIMIT \(limit)::bigint OFFSET \(Int64(max(filter.offset, 0)))
            """
    }

    /// The number of jobs in each state, plus a row named `''` with the workers whose heartbeat is at most
    /// `lease` ms old at the clock's now (`WorkerLease`).
    static func counts(now: Int64?, lease: Int64) -> PostgresQuery {
        """
        WITH clock AS (SELECT COALESCE(\(now)::bigint, \(unescaped: databaseNow)) AS t)
        SELECT state, count(*) FROM queuectl_job GROUP BY state
        UNION ALL
        SELECT '', count(*) FROM queuectl_worker, clock WHERE heartbeat_at >= clock.t - \(lease)::bigint
        """
    }

    // MARK: Dead letter queue

    /// The state of each of `ids` that exists, locked until the transaction ends.
    static func lockJobStates(_ ids: [String]) -> PostgresQuery {
        "SELECT id, state FROM queuectl_job WHERE id = ANY(\(ids)::text[]) FOR UPDATE"
    }

    /// Moves the dead jobs among `ids` back to pending with a fresh retry budget (attempts and snoozes 0), due at
    /// the clock's now.
    /// `exit_code`, `last_error`, `started_at` and `finished_at` are kept as the history of the last run.
    static func retryDeadJobs(_ ids: [String], now: Int64?) -> PostgresQuery {
        """
        WITH clock AS (SELECT COALESCE(\(now)::bigint, \(unescaped: databaseNow)) AS t)
        UPDATE queuectl_job SET state = \(unescaped: JobState.pending.sqlLiteral), attempts = 0, snoozes = 0,
            run_at = clock.t, updated_at = clock.t, worker = NULL
        FROM clock WHERE state = \(unescaped: JobState.dead.sqlLiteral) AND id = ANY(\(ids)::text[])
        """
    }

    /// Moves every dead job back to pending, like `retryDeadJobs(_:now:)`, returning their ids in enqueue order.
    static func retryAllDeadJobs(now: Int64?) -> PostgresQuery {
        """
        WITH clock AS (SELECT COALESCE(\(now)::bigint, \(unescaped: databaseNow)) AS t),
        moved AS (
            UPDATE queuectl_job SET state = \(unescaped: JobState.pending.sqlLiteral), attempts = 0, snoozes = 0,
                run_at = clock.t, updated_at = clock.t, worker = NULL
            FROM clock WHERE state = \(unescaped: JobState.dead.sqlLiteral)
            RETURNING id, seq
        )
        SELECT id FROM moved ORDER BY seq
        """
    }

    // MARK: Configuration

    /// Every stored configuration entry.
    static func configuration() -> PostgresQuery {
        "SELECT key, value FROM queuectl_config"
    }

    /// Inserts or replaces one configuration entry.
    static func setConfiguration(_ key: QueueConfig.Key, value: String) -> PostgresQuery {
        """
        INSERT INTO queuectl_config (key, value) VALUES (\(key.rawValue), \(value))
        ON CONFLICT (key) DO UPDATE SET value = excluded.value
        """
    }

    // MARK: Workers

    /// Registers (or re-registers) workers, told to run, with a fresh heartbeat.
    static func registerWorkers(_ workers: [WorkerRegistration], now: Int64?) -> PostgresQuery {
        """
        WITH clock AS (SELECT COALESCE(\(now)::bigint, \(unescaped: databaseNow)) AS t)
        INSERT INTO queuectl_worker (id, pid, host, host_id, process_start, queues, started_at, heartbeat_at, command)
        SELECT w.id, w.pid, w.host, w.host_id, w.process_start, w.queues, clock.t, clock.t, \(unescaped: WorkerCommand.run.sqlLiteral)
        FROM unnest(\(workers.map(\.id))::text[], \(workers.map(\.pid))::integer[], \(workers.map(\.host))::text[],
                    \(workers.map(\.hostID))::text[], \(workers.map(\.processStart))::bigint[],
                    \(workers.map { $0.queues.joined(separator: ",") })::text[])
            AS w(id, pid, host, host_id, process_start, queues), clock
        ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, host = excluded.host, host_id = excluded.host_id,
            process_start = excluded.process_start, queues = excluded.queues, started_at = excluded.started_at,
            heartbeat_at = excluded.heartbeat_at, command = \(unescaped: WorkerCommand.run.sqlLiteral)
        """
    }

    /// Renews the heartbeat of `ids` and, in the same statement, reads the runs they hold. Rows are
    /// `('w', worker id, command, NULL)` for each renewed worker and `('j', worker id, job id, attempt)` for
    /// each processing job of theirs (`queuectl_job_worker`).
    static func renewLeases(_ ids: [String], now: Int64?) -> PostgresQuery {
        """
        WITH clock AS (SELECT COALESCE(\(now)::bigint, \(unescaped: databaseNow)) AS t),
        renewed AS (
            UPDATE queuectl_worker SET heartbeat_at = clock.t FROM clock WHERE id = ANY(\(ids)::text[])
            RETURNING id, command
        )
        SELECT 'w'::text, id, command, NULL::bigint FROM renewed
        UNION ALL
        SELECT 'j'::text, worker, id, attempts::bigint FROM queuectl_job
        WHERE state = \(unescaped: JobState.processing.sqlLiteral) AND worker = ANY(\(ids)::text[])
        """
    }

    /// Removes the workers `ids`.
    static func deregisterWorkers(_ ids: [String]) -> PostgresQuery {
        "DELETE FROM queuectl_worker WHERE id = ANY(\(ids)::text[])"
    }

    /// Every worker with the job it currently holds (derived from the jobs, so it can never disagree).
    /// The last column is the server's now, to translate the instants to the caller's clock.
    static func workers() -> PostgresQuery {
        """
        SELECT w.id, w.pid, w.host, w.process_start, w.queues, w.started_at, w.heartbeat_at, w.command,
            (SELECT j.id FROM queuectl_job j WHERE j.state = \(unescaped: JobState.processing.sqlLiteral) AND j.worker = w.id
             ORDER BY j.seq LIMIT 1) AS job,
            w.host_id, \(unescaped: databaseNow) AS server_now
        FROM queuectl_worker w ORDER BY w.started_at, w.id
        """
    }

    /// Asks the `selection` of workers to stop: sets `command` where the worker holds one of
    /// `command.replacedCommands` (the core's order: a later `drain` cannot soften an `abort`; `run` resets).
    /// The selection is bound (host, ids; both NULL for every worker), so one statement text serves all.
    static func requestStop(_ command: WorkerCommand, of selection: WorkerSelection) -> PostgresQuery {
        var host: String?
        var ids: [String]?
        switch selection {
        case .all: break
        case .host(let name): host = name
        case .workers(let workers): ids = workers
        }
        return """
            UPDATE queuectl_worker SET command = \(command.rawValue)
            WHERE (\(host)::text IS NULL OR host = \(host)) AND (\(ids)::text[] IS NULL OR id = ANY(\(ids)::text[]))
              AND command = ANY(\(command.replacedCommands.map(\.rawValue))::text[])
            """
    }

    // MARK: Running jobs

    // Claiming and recording a result are prepared statements: see `ClaimJobs` and `RecordResult` below.
    //
    // The claim guard of a run's end is written `(state, attempts, worker) IS NOT DISTINCT FROM (…)`, a form
    // no index serves, so the only index left is `id`'s (one row). Written as three equalities, the planner
    // took `queuectl_job_state` or `queuectl_job_worker` instead, whose `processing` entries include one for
    // every job run since the last vacuum: each result then stepped over all of them.

    /// Puts a claimed job back to pending without counting the run, guarded by the claim; when a cancel
    /// request for the run is stored it ends `cancelled` instead (a cancel never becomes another run). Returns
    /// a row when it applied.
    static func releaseJob(_ claim: JobClaim, now: Int64?) -> PostgresQuery {
        let cancelWins = "COALESCE(cancel_requested_at >= started_at, false)"
        let increments = RunMetrics.cancelledReleaseIncrements.sorted { $0.key < $1.key }
        return """
        WITH clock AS (SELECT COALESCE(\(now)::bigint, \(unescaped: databaseNow)) AS t),
        done AS (
            UPDATE queuectl_job SET
                state = CASE WHEN \(unescaped: cancelWins) THEN \(unescaped: JobState.cancelled.sqlLiteral) ELSE \(unescaped: JobState.pending.sqlLiteral) END,
                last_error = CASE WHEN \(unescaped: cancelWins) THEN \(unescaped: RecordResult.cancelledErrorLiteral) ELSE last_error END,
                finished_at = CASE WHEN \(unescaped: cancelWins) THEN clock.t ELSE finished_at END,
                started_at = CASE WHEN \(unescaped: cancelWins) THEN started_at END,
                attempts = attempts - 1, worker = NULL, updated_at = clock.t
            FROM clock
            WHERE id = \(claim.jobID.rawValue)
              AND (state, attempts, worker) IS NOT DISTINCT FROM (\(unescaped: JobState.processing.sqlLiteral), \(claim.attempt)::bigint, \(claim.worker)::text)
            RETURNING state = \(unescaped: JobState.cancelled.sqlLiteral) AS cancelled
        ),
        counted AS (
            INSERT INTO queuectl_counter (name, shard, value)
            SELECT c.name, pg_backend_pid() % 64, c.value
            FROM done, unnest(\(increments.map(\.key))::text[], \(increments.map(\.value))::float8[]) AS c(name, value)
            WHERE done.cancelled
            ON CONFLICT (name, shard) DO UPDATE SET value = queuectl_counter.value + excluded.value
        )
        SELECT 1 FROM done
        """
    }

    /// Writes the end of a lost worker's run (as `RecordResult`, a snooze included), guarded by the claim and, in the same
    /// statement, by the lease: the worker's row must be missing or its heartbeat more than `lease` ms old
    /// at the clock's now. Returns one row when it applied. A rare path, so not a prepared statement.
    static func recordLostRun(
        _ result: RunResult, of claim: JobClaim, finished: Int64?, retryDelay: Int64?, now: Int64?, lease: Int64,
        counterNames: [String], counterValues: [Double], cancelledCounterNames: [String], cancelledCounterValues: [Double]
    ) -> PostgresQuery {
        let snoozed = result.disposition.isSnooze
        // As `RecordResult`: a cancel request for this run wins over a retry or a snooze.
        let cancelWins = "COALESCE(\(result.yieldsToCancelRequest) AND cancel_requested_at >= started_at, false)"
        return """
        WITH clock AS (SELECT COALESCE(\(now)::bigint, \(unescaped: databaseNow)) AS t),
        done AS (
            UPDATE queuectl_job SET
                state = CASE WHEN \(unescaped: cancelWins) THEN \(unescaped: JobState.cancelled.sqlLiteral)
                    ELSE \(result.disposition.state.rawValue)::text END,
                run_at = CASE WHEN \(retryDelay)::bigint IS NULL OR \(unescaped: cancelWins) THEN run_at
                    ELSE COALESCE(\(finished)::bigint, clock.t) + \(retryDelay)::bigint END,
                attempts = CASE WHEN \(snoozed)::boolean AND NOT \(unescaped: cancelWins) THEN attempts - 1 ELSE attempts END,
                snoozes = CASE WHEN \(snoozed)::boolean AND NOT \(unescaped: cancelWins) THEN snoozes + 1 ELSE snoozes END,
                exit_code = \(result.exitCode)::integer,
                last_error = CASE WHEN \(unescaped: cancelWins) THEN \(unescaped: RecordResult.cancelledErrorLiteral)
                    ELSE \(result.lastError)::text END,
                finished_at = COALESCE(\(finished)::bigint, clock.t), updated_at = COALESCE(\(finished)::bigint, clock.t),
                worker = NULL
            FROM clock
            WHERE id = \(claim.jobID.rawValue)
              AND (state, attempts, worker) IS NOT DISTINCT FROM (\(unescaped: JobState.processing.sqlLiteral), \(claim.attempt)::bigint, \(claim.worker)::text)
              AND NOT EXISTS (
                  SELECT 1 FROM queuectl_worker w WHERE w.id = \(claim.worker) AND w.heartbeat_at >= clock.t - \(lease))
            RETURNING \(unescaped: cancelWins) AS cancel_won
        ),
        counted AS (
            INSERT INTO queuectl_counter (name, shard, value)
            SELECT c.name, pg_backend_pid() % 64, c.value
            FROM done, unnest(
                CASE WHEN done.cancel_won THEN \(cancelledCounterNames)::text[] ELSE \(counterNames)::text[] END,
                CASE WHEN done.cancel_won THEN \(cancelledCounterValues)::float8[] ELSE \(counterValues)::float8[] END
            ) AS c(name, value)
            ON CONFLICT (name, shard) DO UPDATE SET value = queuectl_counter.value + excluded.value
        )
        SELECT count(*) FROM done
        """
    }

    /// Processing jobs whose worker row is missing or whose heartbeat is more than `lease` ms old.
    static func jobsOfLostWorkers(now: Int64?, lease: Int64) -> PostgresQuery {
        """
        WITH clock AS (SELECT COALESCE(\(now)::bigint, \(unescaped: databaseNow)) AS t)
        SELECT \(unescaped: qualifiedJobColumns)
        FROM queuectl_job j LEFT JOIN queuectl_worker w ON w.id = j.worker, clock
        WHERE j.state = \(unescaped: JobState.processing.sqlLiteral) AND (w.id IS NULL OR w.heartbeat_at < clock.t - \(lease))
        ORDER BY j.seq
        """
    }

    /// Every run counter (the sum of its shards).
    static func counters() -> PostgresQuery {
        "SELECT name, sum(value) FROM queuectl_counter GROUP BY name"
    }

    /// The earliest `run_at` among jobs waiting to run (pending or failed) in `queues` (empty: any) that are
    /// not paused or full (`heldQueues`), and the server's now (to translate it to the caller's clock): the
    /// first entry of `queuectl_job_due` in each queue that is not held, so a held queue's jobs are never read.
    /// The queues are `queues`, or every queue with a claimable job, found by a loose index scan of
    /// `queuectl_job_due` (the first queue name, then the next after it: one probe per queue).
    static func nextDueTime(queues: [String]) -> PostgresQuery {
        let claimable = "j.state IN (\(JobState.claimableLiteral)) AND j.\(notWaiting)"
        return """
            WITH RECURSIVE present (name) AS (
                (SELECT j.queue FROM queuectl_job j
                 WHERE cardinality(\(queues)::text[]) = 0 AND \(unescaped: claimable) ORDER BY j.queue LIMIT 1)
                UNION ALL
                SELECT (SELECT j.queue FROM queuectl_job j WHERE \(unescaped: claimable) AND j.queue > p.name
                        ORDER BY j.queue LIMIT 1)
                FROM present p WHERE p.name IS NOT NULL
            )
            SELECT (
                SELECT min((SELECT j.run_at FROM queuectl_job j WHERE j.queue = c.name AND \(unescaped: claimable)
                            ORDER BY j.run_at LIMIT 1))
                FROM (SELECT name FROM present UNION SELECT unnest(\(queues)::text[])) c
                WHERE c.name IS NOT NULL AND NOT (c.name = ANY(\(unescaped: heldQueues)))
            ),
            \(unescaped: databaseNow)
            """
    }

    // MARK: Logs

    /// Appends one chunk of output to job `id`'s stored log.
    static func appendLog(_ id: JobID, chunk: ByteBuffer) -> PostgresQuery {
        "INSERT INTO queuectl_log (job_id, chunk) VALUES (\(id.rawValue), \(chunk))"
    }

    /// The chunks of job `id`'s stored log that end after byte `offset` (with `tail`, after `size - offset`),
    /// in order, each with its end offset, and the log's total size on every row; a single row with NULL
    /// chunk columns when none does.
    static func readLog(_ id: JobID, offset: Int64, tail: Bool) -> PostgresQuery {
        """
        WITH c AS (
            SELECT chunk, (sum(length(chunk)) OVER (ORDER BY seq))::bigint AS chunk_end
            FROM queuectl_log WHERE job_id = \(id.rawValue)
        ), total AS (SELECT COALESCE(max(chunk_end), 0)::bigint AS size FROM c)
        SELECT total.size, c.chunk_end, c.chunk
        FROM total LEFT JOIN c
            ON c.chunk_end > GREATEST(0, CASE WHEN \(tail) THEN total.size - \(offset) ELSE \(offset) END)
        ORDER BY c.chunk_end
        """
    }

    /// Wakes every listener (after a DLQ retry, a stop request, a released job or a scheduled retry).
    static func notify(_ reason: String) -> PostgresQuery {
        "SELECT pg_notify(\(wakeupChannel), \(reason))::text"
    }
}

extension PostgresSQL {
    // MARK: Database administration (tests and benchmarks)

    /// Creates the database `name`, which `PostgresDatabaseAdmin` has checked is a plain identifier
    /// (identifiers cannot be bound parameters).
    static func createDatabase(_ name: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\"")
    }

    /// Drops the database `name` (a checked plain identifier), even while clients are connected.
    static func dropDatabase(_ name: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
    }

    /// The databases whose names start with `prefix`.
    static func databases(prefixed prefix: String) -> PostgresQuery {
        "SELECT datname FROM pg_database WHERE starts_with(datname, \(prefix))"
    }
}

extension PostgresSQL {
    // MARK: Prepared statements (the hot path)

    // The claim and the end of a run are the two statements every job goes through. Planning them
    // costs about as much as running them, so each connection prepares them once (postgres-nio's
    // `execute` does it on first use) and later runs skip the planner: 3-4x the claim+complete pairs
    // per second in a pgbench comparison on this machine (8 clients, prepared vs extended mode).
    //
    // Claim: `slots` numbers the worker ids registered with command `run` (the fence: a worker told to
    // stop, or deregistered, gets nothing); `due` is what `queuectl_due_jobs` (migration 003: the ordered
    // index scan whatever the statistics say) locked for as many slots, numbered in contract order,
    // skipping rows another claimer holds (`FOR UPDATE SKIP LOCKED`: concurrent claimers never wait for or
    // share a job); the UPDATE joins rank to slot. The function's queries take a snapshot of their own: a job
    // committed after this statement began can be locked there and then not seen by the UPDATE; the slot then
    // comes back empty for this round, which the worker treats as "claim again". End of a run: guarded by the
    // claim (state, attempt, worker, the job found by id: see "Running jobs"); counter increments are added to
    // this connection's shard only when the guard held.

    /// What a claim sets on the job row `j` it takes (the worker aside).
    fileprivate static let claimAssignments = """
        state = \(JobState.processing.sqlLiteral), attempts = j.attempts + 1, started_at = clock.t, updated_at = clock.t, finished_at = NULL
        """

    /// `claimJobs(for:queues:now:)` as a prepared statement. Rows: `jobColumns` (in no particular order:
    /// `ClaimOrder` restores the order of the workers).
    struct ClaimJobs: PostgresPreparedStatement {
        typealias Row = PostgresRow

        static let name = "queuectl_claim_jobs_v6"
        static let sql = """
            WITH clock AS (SELECT COALESCE($1::bigint, \(databaseNow)) AS t),
            slots AS (
                SELECT s.worker, row_number() OVER (ORDER BY s.position) AS slot
                FROM unnest($4::text[]) WITH ORDINALITY AS s(worker, position)
                WHERE EXISTS (SELECT 1 FROM queuectl_worker w WHERE w.id = s.worker AND w.command = \(WorkerCommand.run.sqlLiteral))
            ),
            due AS (
                SELECT d.seq, d.slot
                FROM queuectl_due_jobs((SELECT t FROM clock), $2::text[], LEAST($3, (SELECT count(*) FROM slots)))
                    WITH ORDINALITY AS d(seq, slot)
            )
            UPDATE queuectl_job j SET \(claimAssignments), worker = slots.worker, last_worker = slots.worker
            FROM due JOIN slots USING (slot), clock
            WHERE j.seq = due.seq
            RETURNING \(qualifiedJobColumns)
            """
        static let bindingDataTypes: [PostgresDataType] = [.int8, .textArray, .int8, .textArray]

        /// The caller's now in milliseconds; nil for the server's clock.
        var now: Int64?
        /// Queues to claim from; empty for any.
        var queues: [String]
        /// One worker id per job wanted.
        var workers: [String]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 4)
            bindings.append(now)
            bindings.append(queues)
            bindings.append(Int64(workers.count))
            bindings.append(workers)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    /// `recordResult(…)` as a prepared statement: the guarded end of a run, its counters, the end of its
    /// output (`RunResult.logTail`, appended whether or not the guard held: the run did write it) and, when
    /// `claimFrom` is not nil and the result applied, the claim of the worker's next due job, all in one
    /// statement (one round trip per job for a busy worker). `queuectl_due_jobs` sees the finished row as this
    /// statement left it: a retry due at once (`backoff_max` 0) can come back as the next job, and the UPDATE
    /// then skips it (a row the same statement changed is not changed twice): the slot claims afresh.
    /// One row: the claimed job's `jobColumns` (all NULL when none) and `finished`, how many jobs it finished
    /// (0 or 1).
    /// A run that left no output tail goes through `RecordSilentResult`.
    struct RecordResult: PostgresPreparedStatement {
        typealias Row = PostgresRow

        static let name = "queuectl_record_result_v8"
        static let sql = recordResultSQL(appendingOutput: true)

        /// Whether the job ends cancelled instead of `$2` (see `RunResult.yieldsToCancelRequest`, bound as `$14`):
        /// a cancel request for this run is stored. Old values, as every SET expression of the UPDATE sees them.
        /// `RunOutcome.cancelledError` as an SQL string literal (a fixed word: no quote to escape).
        fileprivate static let cancelledErrorLiteral = "'\(RunOutcome.cancelledError)'"

        fileprivate static let cancelWins = "COALESCE($14::boolean AND cancel_requested_at >= started_at, false)"

        /// The statement, with or without the CTE that appends `$12` to the job's log. Without it when there
        /// is nothing to append: PostgreSQL sets up every data-modifying CTE on each execution, rows or not
        /// (about 4% of the statement's cost in a pgbench comparison on this machine).
        fileprivate static func recordResultSQL(appendingOutput: Bool) -> String {
            let logged = """
                logged AS (
                    INSERT INTO queuectl_log (job_id, chunk) SELECT $6::text, $12::bytea WHERE $12::bytea IS NOT NULL
                ),
                """
            return """
                WITH clock AS (SELECT COALESCE($1::bigint, \(databaseNow)) AS t),
                done AS (
                    UPDATE queuectl_job SET
                        state = CASE WHEN \(cancelWins) THEN \(JobState.cancelled.sqlLiteral) ELSE $2::text END,
                        run_at = CASE WHEN $3::bigint IS NULL OR \(cancelWins) THEN run_at ELSE clock.t + $3::bigint END,
                        attempts = CASE WHEN $13::boolean AND NOT \(cancelWins) THEN attempts - 1 ELSE attempts END,
                        snoozes = CASE WHEN $13::boolean AND NOT \(cancelWins) THEN snoozes + 1 ELSE snoozes END,
                        exit_code = $4::integer,
                        last_error = CASE WHEN \(cancelWins) THEN \(cancelledErrorLiteral) ELSE $5::text END,
                        finished_at = clock.t, updated_at = clock.t, worker = NULL
                    FROM clock
                    WHERE id = $6::text AND (state, attempts, worker) IS NOT DISTINCT FROM (\(JobState.processing.sqlLiteral), $7::bigint, $8::text)
                    RETURNING \(cancelWins) AS cancel_won
                ),
                counted AS (
                    INSERT INTO queuectl_counter (name, shard, value)
                    SELECT c.name, pg_backend_pid() % 64, c.value
                    FROM done, unnest(
                        CASE WHEN done.cancel_won THEN $15::text[] ELSE $9::text[] END,
                        CASE WHEN done.cancel_won THEN $16::float8[] ELSE $10::float8[] END
                    ) AS c(name, value)
                    ON CONFLICT (name, shard) DO UPDATE SET value = queuectl_counter.value + excluded.value
                ),
                \(appendingOutput ? logged : "")
                due AS (
                    SELECT seq FROM queuectl_due_jobs((SELECT t FROM clock), $11::text[], CASE
                        WHEN $11::text[] IS NOT NULL AND EXISTS (SELECT 1 FROM done)
                          AND EXISTS (SELECT 1 FROM queuectl_worker w WHERE w.id = $8::text AND w.command = \(WorkerCommand.run.sqlLiteral))
                        THEN 1 ELSE 0 END) AS seq
                ),
                claimed AS (
                    UPDATE queuectl_job j SET \(claimAssignments), worker = $8::text, last_worker = $8::text
                    FROM due, clock
                    WHERE j.seq = due.seq
                    RETURNING \(qualifiedJobColumns)
                )
                SELECT claimed.*, finished.count AS finished, finished.cancel_won AS ended_cancelled
                FROM (SELECT count(*), COALESCE(bool_or(cancel_won), false) AS cancel_won FROM done) AS finished
                LEFT JOIN claimed ON true
                """
        }

        static let bindingDataTypes: [PostgresDataType] = [
            .int8, .text, .int8, .int4, .text, .text, .int8, .text, .textArray, .float8Array, .textArray, .bytea, .bool,
            .bool, .textArray, .float8Array,
        ]

        /// When the run ended (caller's clock, ms); nil for the server's now.
        var finished: Int64?
        /// The state the job moves to.
        var state: JobState
        /// For a retry or a snooze: ms after `finished` when it is due again.
        var retryDelay: Int64?
        /// Whether the run is a snooze: the attempt is given back (`attempts - 1`) and `snoozes` grows by one.
        var snoozed: Bool
        /// `RunResult.yieldsToCancelRequest`: the job ends cancelled instead when a cancel request for this run
        /// is stored.
        var yieldsToCancelRequest: Bool
        /// `exit_code` to record.
        var exitCode: Int32?
        /// `last_error` to record.
        var lastError: String?
        /// The run whose end this is.
        var claim: JobClaim
        /// Counter names, sorted (a fixed lock order: concurrent runs cannot deadlock).
        var counterNames: [String]
        /// The increments, in the order of `counterNames`.
        var counterValues: [Double]
        /// `RunResult.cancelledCounterIncrements`' names, sorted: added instead when a cancel request won.
        var cancelledCounterNames: [String]
        /// The increments, in the order of `cancelledCounterNames`.
        var cancelledCounterValues: [Double]
        /// The queues to claim the worker's next job from (empty: any); nil to claim nothing.
        var claimFrom: [String]?
        /// Output to append to the job's stored log; nil for none.
        var logTail: ByteBuffer?

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 16)
            bindings.append(finished)
            bindings.append(state.rawValue)
            bindings.append(retryDelay)
            bindings.append(exitCode)
            bindings.append(lastError)
            bindings.append(claim.jobID.rawValue)
            bindings.append(Int64(claim.attempt))
            bindings.append(claim.worker)
            bindings.append(counterNames)
            bindings.append(counterValues)
            bindings.append(claimFrom)
            bindings.append(logTail)
            bindings.append(snoozed)
            bindings.append(yieldsToCancelRequest)
            bindings.append(cancelledCounterNames)
            bindings.append(cancelledCounterValues)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    /// `RecordResult` for a run without an output tail (`logTail` nil): the same statement and bindings
    /// without the log CTE (`$12` stays bound, to NULL, and unused).
    struct RecordSilentResult: PostgresPreparedStatement {
        typealias Row = PostgresRow

        static let name = "queuectl_record_silent_result_v6"
        static let sql = RecordResult.recordResultSQL(appendingOutput: false)
        static let bindingDataTypes = RecordResult.bindingDataTypes

        var result: RecordResult

        func makeBindings() -> PostgresBindings { result.makeBindings() }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }
}

extension JobState {
    /// The state's name as an SQL string literal, spliced into statement text rather than bound: the partial
    /// indexes and the prepared statements' plans rely on seeing the literal.
    var sqlLiteral: String { "'\(rawValue)'" }

    /// `JobState.claimable` as an SQL list of literals (`'pending', 'failed'`).
    static let claimableLiteral = claimable.map(\.sqlLiteral).joined(separator: ", ")
}

extension WorkerCommand {
    /// The command's name as an SQL string literal, as `JobState.sqlLiteral`.
    var sqlLiteral: String { "'\(rawValue)'" }
}
