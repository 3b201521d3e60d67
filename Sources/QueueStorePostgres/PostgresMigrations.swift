import PostgresNIO

/// The PostgreSQL schema, as numbered migrations of plain SQL with the same numbers as
/// `SQLiteMigrations`. Append-only: a merged migration is never edited; a change is a new migration.
/// They run under a transaction-scoped advisory lock, so many hosts starting at once migrate once.
enum PostgresMigrations {
    /// One numbered schema step: statements run in order in one transaction.
    struct Migration: Sendable {
        /// The number, shared with the SQLite store (`001_initial` there is version 1 here).
        let version: Int
        /// A short name, recorded beside the number.
        let name: String
        /// The statements (the extended query protocol runs one statement per query).
        let statements: [String]
    }

    /// The advisory lock key every migrating process takes (`pg_advisory_xact_lock`), an arbitrary
    /// constant that other applications sharing the database are unlikely to use.
    static let lockKey: Int64 = 7_263_421_001

    /// `001`: jobs, workers, configuration and run counters, as on SQLite, with these dialect gaps:
    ///
    /// - `seq` is an identity column (SQLite: `INTEGER PRIMARY KEY`); instants are BIGINT milliseconds.
    /// - No trigger-maintained `queuectl_state_count`: on a server shared by many hosts its five rows
    ///   would be updated by every claim and every finished run, serialising all writers on their row
    ///   locks. `status` counts with `GROUP BY state` instead.
    /// - `queuectl_job_due`, as on SQLite, makes `nextDueTime` (asked by every idle worker) one index probe;
    ///   without it `min(run_at)` scanned the table (124 ms with 1,000,000 pending jobs).
    /// - `queuectl_job_worker` finds the jobs a worker holds (lost-worker recovery, `worker list`, lease renewals).
    /// - `queuectl_worker.host_id` as on SQLite: the host identity (host name, boot id, pid namespace).
    /// - `queuectl_counter` has a `shard` column (the writing connection's backend pid modulo 64): every
    ///   finished run adds to several counter rows, and with a single row per name concurrent workers on all
    ///   hosts would queue on those row locks until each commit. Reads sum the shards.
    /// - `queuectl_log` (PostgreSQL only, `JobLogStore`) keeps the jobs' output as appended chunks, so any
    ///   host can print the log of a job another host ran; SQLite's users share one host and its log files.
    static let initial = Migration(
        version: 1, name: "initial",
        statements: [
            """
            CREATE TABLE queuectl_job (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                command TEXT NOT NULL,
                max_retries INTEGER NOT NULL CHECK (max_retries >= 0),
                priority BIGINT NOT NULL DEFAULT 0,
                run_at BIGINT NOT NULL,
                timeout INTEGER NOT NULL DEFAULT 0 CHECK (timeout >= 0),
                queue TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'processing', 'completed', 'failed', 'dead')),
                attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                exit_code INTEGER,
                last_error TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                started_at BIGINT,
                finished_at BIGINT,
                worker TEXT,
                CHECK ((state = 'processing') = (worker IS NOT NULL))
            )
            """,
            """
            CREATE INDEX queuectl_job_claim ON queuectl_job (priority DESC, run_at, seq)
                WHERE state IN ('pending', 'failed')
            """,
            "CREATE INDEX queuectl_job_due ON queuectl_job (run_at) WHERE state IN ('pending', 'failed')",
            "CREATE INDEX queuectl_job_state ON queuectl_job (state, seq)",
            "CREATE INDEX queuectl_job_worker ON queuectl_job (worker) WHERE state = 'processing'",
            """
            CREATE TABLE queuectl_worker (
                id TEXT PRIMARY KEY,
                pid INTEGER NOT NULL,
                host TEXT NOT NULL,
                host_id TEXT NOT NULL,
                process_start BIGINT NOT NULL,
                queues TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                heartbeat_at BIGINT NOT NULL,
                command TEXT NOT NULL DEFAULT 'run' CHECK (command IN ('run', 'drain', 'abort'))
            )
            """,
            """
            CREATE TABLE queuectl_config (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE queuectl_counter (
                name TEXT NOT NULL,
                shard INTEGER NOT NULL DEFAULT 0,
                value DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (name, shard)
            )
            """,
            """
            CREATE TABLE queuectl_log (
                job_id TEXT NOT NULL,
                seq BIGINT GENERATED ALWAYS AS IDENTITY,
                chunk BYTEA NOT NULL,
                PRIMARY KEY (job_id, seq)
            )
            """,
        ])

    /// `002`: histograms are stored as bins, as on SQLite: each shard's cumulative `<histogram>_bucket:<bound>`
    /// rows become `<histogram>_bin:<bound>` rows holding the difference to the bucket below (every run added
    /// to one shard, so each shard's buckets are cumulative on their own).
    static let counterBins = Migration(
        version: 2, name: "counter_bins",
        statements: [
            // One statement, so a row an older worker writes meanwhile is either converted or left whole.
            """
            WITH old AS (
                DELETE FROM queuectl_counter WHERE strpos(name, '_bucket:') > 0 RETURNING name, shard, value
            )
            INSERT INTO queuectl_counter (name, shard, value)
            SELECT name, shard, value FROM (
                SELECT replace(name, '_bucket:', '_bin:') AS name, shard,
                    value - coalesce(lag(value) OVER (
                        PARTITION BY shard, split_part(name, '_bucket:', 1)
                        ORDER BY split_part(name, '_bucket:', 2)::float8), 0) AS value
                FROM old
            ) AS bins WHERE value <> 0
            ON CONFLICT (name, shard) DO UPDATE SET value = queuectl_counter.value + excluded.value
            """
        ])

    /// `003` (PostgreSQL only): `queuectl_due_jobs(at, queues, wanted)` locks and returns, in contract order,
    /// the `seq` of up to `wanted` jobs due at `at` in `queues` (empty: any), skipping rows other claimers
    /// hold. Both claiming statements call it instead of selecting the rows themselves, because the planner
    /// cannot be trusted with that query: without fresh statistics (a new table, or one last analysed
    /// while the queue was empty, which is when autovacuum tends to come by) it estimates a handful of due
    /// rows and sorts all of them on every claim (3.7 ms with 8,000 pending, growing with the queue)
    /// instead of reading the first ones from `queuectl_job_claim`. PostgreSQL has no index hints (SQLite's
    /// claim says `INDEXED BY`); a function's `SET` clauses are the documented way to fix a plan for one
    /// query: with sorts, bitmap and sequential scans disabled the ordered index scan is the only plan left.
    /// PL/pgSQL keeps the plan per connection; rows come back in the order the scan locked them. `ROWS 1`:
    /// callers join the few rows it returns to `queuectl_job` by primary key, and at the default estimate
    /// of 1,000 rows the planner hashed the whole job table for that join on every claim.
    static let dueJobsFunction = Migration(
        version: 3, name: "due_jobs_function",
        statements: [
            """
            CREATE FUNCTION queuectl_due_jobs(bigint, text[], bigint) RETURNS SETOF bigint
            LANGUAGE plpgsql VOLATILE ROWS 1
            SET enable_sort = off SET enable_bitmapscan = off SET enable_seqscan = off
            AS $$
            BEGIN
                RETURN QUERY
                SELECT j.seq FROM queuectl_job j
                WHERE j.state IN ('pending', 'failed') AND j.run_at <= $1
                  AND (cardinality($2) = 0 OR j.queue = ANY($2))
                ORDER BY j.priority DESC, j.run_at, j.seq
                LIMIT $3
                FOR UPDATE SKIP LOCKED;
            END
            $$
            """
        ])

    /// `004` (PostgreSQL only): `queuectl_due_jobs` keeps one plan per connection. PL/pgSQL's plan cache
    /// re-planned its query on every call (a custom plan for each set of arguments, since the generic one
    /// never looked cheaper to it), and planning was 14% of the server's CPU while workers drained (perf).
    /// With sorts and the other scans disabled the plan cannot depend on the arguments anyway.
    static let dueJobsGenericPlan = Migration(
        version: 4, name: "due_jobs_generic_plan",
        statements: [
            "ALTER FUNCTION queuectl_due_jobs(bigint, text[], bigint) SET plan_cache_mode = force_generic_plan"
        ])

    /// `005` (PostgreSQL only): the job table's single-column checks become domains (`queuectl_state`,
    /// `queuectl_natural`). PostgreSQL parses a table's CHECK constraints from their stored text again in
    /// every statement that writes the table, once per UPDATE in it: with the result and the next claim in
    /// one statement that was 7.5% of the backends' CPU in a drain (perf: `pg_strtok`, `strtoll`), most of
    /// it the `state` check's array of five names. A domain's check is compiled once per connection
    /// (the type cache) and runs only when a value is written to the column: 11% more result statements per
    /// second in a pgbench comparison here. Same rules, same error code (23514). The cross-column check (a
    /// worker exactly while processing) stays a table constraint.
    ///
    /// The domains are created bare and get their checks afterwards, so that changing the column types
    /// only relabels them (a scan to check existing rows, indexes on `state` rebuilt) instead of rewriting
    /// the table: 0.9 s instead of 4.1 s with 1,000,000 jobs here, under a lock that holds writers off.
    static let stateAndCountDomains = Migration(
        version: 5, name: "state_and_count_domains",
        statements: [
            "CREATE DOMAIN queuectl_state AS text",
            "CREATE DOMAIN queuectl_natural AS integer",
            """
            ALTER TABLE queuectl_job ALTER COLUMN state TYPE queuectl_state,
                ALTER COLUMN max_retries TYPE queuectl_natural, ALTER COLUMN timeout TYPE queuectl_natural,
                ALTER COLUMN attempts TYPE queuectl_natural
            """,
            """
            ALTER DOMAIN queuectl_state ADD CONSTRAINT queuectl_state_check
                CHECK (VALUE IN ('pending', 'processing', 'completed', 'failed', 'dead'))
            """,
            "ALTER DOMAIN queuectl_natural ADD CONSTRAINT queuectl_natural_check CHECK (VALUE >= 0)",
            """
            ALTER TABLE queuectl_job DROP CONSTRAINT queuectl_job_state_check,
                DROP CONSTRAINT queuectl_job_max_retries_check, DROP CONSTRAINT queuectl_job_timeout_check,
                DROP CONSTRAINT queuectl_job_attempts_check
            """,
        ])

    /// `006` (PostgreSQL only): an index of job ids in byte order, for id prefixes (`show abcd`). The unique
    /// index on `id` sorts in the database's collation, in which a prefix is not a range (a language
    /// collation orders `ab-c` and `abc` by letters first), so prefix lookups compare in "C" and need an
    /// index in "C" to be a range probe rather than a scan of every job. SQLite's BINARY collation is byte
    /// order already: its unique index serves the same query, so it has no counterpart.
    static let jobIDBytes = Migration(
        version: 6, name: "job_id_bytes",
        statements: [#"CREATE INDEX queuectl_job_id_bytes ON queuectl_job (id COLLATE "C")"#])

    /// `007` (as on SQLite): `last_worker`, the worker that claimed a job's latest run, kept after the run
    /// ends (`worker` is cleared then), so `show` can say who ran a finished job. Set by the claim's UPDATE,
    /// which writes the row anyway; a nullable column without a default is added without a rewrite.
    static let lastWorker = Migration(
        version: 7, name: "last_worker", statements: ["ALTER TABLE queuectl_job ADD COLUMN last_worker TEXT"])

    /// `008` (as on SQLite): `timeout_from_config`, whether a job's `timeout` is the `job_timeout` default
    /// because the job named none, so a worker started with `--timeout` can apply its own to exactly those
    /// jobs. Jobs enqueued before are taken as having named theirs (their runs stay as they were). A
    /// constant default is stored in the catalog: adding the column rewrites nothing.
    static let timeoutFromConfig = Migration(
        version: 8, name: "timeout_from_config",
        statements: ["ALTER TABLE queuectl_job ADD COLUMN timeout_from_config BOOLEAN NOT NULL DEFAULT false"])

    /// `009` (as on SQLite): the exit-code fields of a job. `no_retry_exit_codes`, the job's own codes after
    /// which it goes straight to dead, as an integer array (SQLite: text); `snoozes`, how many of its runs were
    /// snoozed, a count like `attempts` (the `queuectl_natural` domain of 005).
    ///
    /// Neither may rewrite the table (an exclusive lock held for seconds on a large queue). A constant default
    /// is kept in the catalog, so adding the plain columns rewrites nothing; but a column of a domain that has
    /// a check is rewritten, whether it is added with that type or changed to it (checked here on PostgreSQL
    /// 15: the table's file changed both ways). So, as in 005, the domain goes without its check while
    /// `snoozes` is relabelled, and gets it back afterwards, which checks the rows with a scan instead
    /// (146 ms for 1,000,000 rows here, no rewrite). All of it is one transaction: no other session sees the
    /// domain without its check.
    static let exitCodeFields = Migration(
        version: 9, name: "exit_code_fields",
        statements: [
            "ALTER TABLE queuectl_job ADD COLUMN no_retry_exit_codes INTEGER[] NOT NULL DEFAULT '{}'",
            "ALTER TABLE queuectl_job ADD COLUMN snoozes INTEGER NOT NULL DEFAULT 0",
            "ALTER DOMAIN queuectl_natural DROP CONSTRAINT queuectl_natural_check",
            "ALTER TABLE queuectl_job ALTER COLUMN snoozes TYPE queuectl_natural",
            "ALTER DOMAIN queuectl_natural ADD CONSTRAINT queuectl_natural_check CHECK (VALUE >= 0)",
        ])

    /// `013` (as on SQLite): schedules (`schedule add`). One row per schedule, named by its primary key: the spec
    /// (`cron` or `every`, never both, and its zone), the job every tick enqueues (`timeout` and `max_retries`
    /// NULL: the configuration's default when the tick fires), when it was added (ticks before are never
    /// enqueued), and the last tick enqueued with its job's id. Firing a tick is a guarded update of `last_tick`
    /// in the same transaction as the enqueue (`PostgresSQL.advanceScheduleTick`): concurrent firers of one
    /// tick queue on the row's lock, and all but the first find the guard false once it commits. Every worker
    /// reads the table about once a second; it holds a handful of rows.
    static let schedules = Migration(
        version: 13, name: "schedules",
        statements: [
            """
            CREATE TABLE queuectl_schedule (
                name TEXT PRIMARY KEY,
                cron TEXT,
                every BIGINT CHECK (every >= 1),
                tz TEXT NOT NULL,
                command TEXT NOT NULL,
                queue TEXT NOT NULL,
                priority BIGINT NOT NULL DEFAULT 0,
                timeout INTEGER CHECK (timeout >= 0),
                max_retries INTEGER CHECK (max_retries >= 0),
                added_at BIGINT NOT NULL,
                last_tick BIGINT,
                last_job TEXT,
                CHECK ((cron IS NULL) <> (every IS NULL))
            )
            """
        ])

    /// `011` (as on SQLite; 010 is the `cancelled` state's): what pruning finished jobs needs.
    ///
    /// - `queuectl_job_finished` finds the finished jobs of one state last changed before an instant
    ///   (`purge`, retention) by a range of the index, instead of scanning every job of that state once a
    ///   minute to find none old enough. Partial: only jobs that enter a finished state get an entry, so
    ///   claims and retries pay nothing for it. `cancelled` is listed ahead of the state itself. Built
    ///   without CONCURRENTLY, which cannot run inside the migration's transaction: writers wait while it is
    ///   built, once (a scan of the table).
    /// - `queuectl_maintenance` records when a periodic task (retention) last began, so that of the workers
    ///   of every host one takes each turn (`takeTurn`).
    static let pruning = Migration(
        version: 11, name: "pruning",
        statements: [
            """
            CREATE INDEX queuectl_job_finished ON queuectl_job (state, updated_at)
                WHERE state IN ('completed', 'dead', 'cancelled')
            """,
            """
            CREATE TABLE queuectl_maintenance (
                task TEXT PRIMARY KEY,
                ran_at BIGINT NOT NULL
            )
            """,
        ])

    /// Every migration, in order.
    static let all: [Migration] = [
        initial, counterBins, dueJobsFunction, dueJobsGenericPlan, stateAndCountDomains, jobIDBytes, lastWorker,
        timeoutFromConfig, exitCodeFields, cancelledState, pruning, schedules, uniqueKeys, queues,
        dueJobsWithoutJIT, dependencies, heldQueueIndexes, dependencyMarks,
    ]

    /// The newest version; a database at this version needs no work.
    static var latestVersion: Int { all.map(\.version).max() ?? 0 }

    /// Brings the database to `latestVersion`. A quick read answers the common case (already migrated)
    /// without locking; otherwise one transaction takes the advisory lock, re-reads the applied versions
    /// (another host may just have migrated) and applies the rest.
    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        if try await currentVersion(connection, logger: logger) >= latestVersion { return }
        try await connection.withTransaction(logger: logger) { connection in
            _ = try await rows(PostgresSQL.lockMigrations(key: lockKey), connection, logger)
            _ = try await rows(PostgresSQL.createMigrationTable(), connection, logger)
            var applied = Set<Int>()
            for row in try await rows(PostgresSQL.appliedMigrations(), connection, logger) {
                applied.insert(try row.decode(Int.self))
            }
            for migration in all where !applied.contains(migration.version) {
                for statement in migration.statements {
                    _ = try await rows(PostgresQuery(unsafeSQL: statement), connection, logger)
                }
                _ = try await rows(
                    PostgresSQL.recordMigration(version: migration.version, name: migration.name), connection, logger)
            }
        }
    }

    /// The highest applied version, 0 for a database queuectl never used.
    private static func currentVersion(_ connection: PostgresConnection, logger: Logger) async throws -> Int {
        let exists = try await rows(PostgresSQL.migrationTableExists(), connection, logger).first?.decode(Bool.self)
        guard exists == true else { return 0 }
        return try await rows(PostgresSQL.latestMigration(), connection, logger).first?.decode(Int?.self) ?? 0
    }

    /// Runs `query` on `connection` and collects its rows (the explicit type picks the async overload).
    private static func rows(
        _ query: PostgresQuery, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [PostgresRow] {
        let sequence: PostgresRowSequence = try await connection.query(query, logger: logger)
        return try await sequence.collect()
    }
}
