import GRDB

/// The SQLite schema, as numbered migrations of plain SQL. Append-only: a merged migration is never
/// edited; a change is a new migration with the next number (the PostgreSQL store uses the same numbers).
/// Applied versions are recorded in `queuectl_migration`, as on PostgreSQL, so every table the store
/// creates carries the `queuectl_` prefix.
enum SQLiteMigrations {
    /// One numbered schema step: it runs in one transaction with the record of its version.
    struct Migration: Sendable {
        /// The number, shared with the PostgreSQL store.
        let version: Int
        /// A short name, recorded beside the number.
        let name: String
        /// What it does to the database.
        let apply: @Sendable (Database) throws -> Void

        /// A step that is one script of plain SQL.
        init(version: Int, name: String, sql: String) {
            self.init(version: version, name: name) { db in try db.execute(sql: sql) }
        }

        /// A step that needs more than SQL text (a value read first: `stateCheckWithoutList`).
        init(version: Int, name: String, apply: @escaping @Sendable (Database) throws -> Void) {
            self.version = version
            self.name = name
            self.apply = apply
        }
    }

    /// `001`: jobs, workers, configuration, run counters and the per-state job counts.
    ///
    /// - `queuectl_job.seq` gives enqueue order; instants are INTEGER milliseconds since 1970.
    /// - The state CHECK mirrors `JobState`; a job has a worker exactly while it is processing.
    /// - `queuectl_job_claim` matches the claim's ORDER BY (`priority DESC, run_at, seq`) and covers only
    ///   claimable rows, so a claim reads the first due rows of the index without a sort.
    /// - `queuectl_job_due` makes `nextDueTime` (asked by every idle worker) a single index probe; without it
    ///   MIN(run_at) visited every waiting row (0.5–1.8 s with 100,000 pending jobs).
    /// - `queuectl_worker.host` is the host name users see; `host_id` (host name, boot id and pid namespace)
    ///   is what "is this worker on my host" decisions compare, since containers may share a host name.
    /// - `queuectl_state_count` keeps the number of jobs per state so `status` stays O(1) with millions of
    ///   jobs. Triggers maintain it on UPDATE and DELETE; enqueue adds its batch's counts itself, because a
    ///   per-row INSERT trigger doubled the cost of a 100,000-job batch.
    static let initial = """
        CREATE TABLE queuectl_job (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            command TEXT NOT NULL,
            max_retries INTEGER NOT NULL CHECK (max_retries >= 0),
            priority INTEGER NOT NULL DEFAULT 0,
            run_at INTEGER NOT NULL,
            timeout INTEGER NOT NULL DEFAULT 0 CHECK (timeout >= 0),
            queue TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'processing', 'completed', 'failed', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            exit_code INTEGER,
            last_error TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            started_at INTEGER,
            finished_at INTEGER,
            worker TEXT,
            CHECK ((state = 'processing') = (worker IS NOT NULL))
        );
        CREATE INDEX queuectl_job_claim ON queuectl_job (priority DESC, run_at, seq)
            WHERE state IN ('pending', 'failed');
        CREATE INDEX queuectl_job_due ON queuectl_job (run_at) WHERE state IN ('pending', 'failed');
        CREATE INDEX queuectl_job_state ON queuectl_job (state, seq);

        CREATE TABLE queuectl_worker (
            id TEXT PRIMARY KEY NOT NULL,
            pid INTEGER NOT NULL,
            host TEXT NOT NULL,
            host_id TEXT NOT NULL,
            process_start INTEGER NOT NULL,
            queues TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            heartbeat_at INTEGER NOT NULL,
            command TEXT NOT NULL DEFAULT 'run' CHECK (command IN ('run', 'drain', 'abort'))
        ) WITHOUT ROWID;

        CREATE TABLE queuectl_config (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE queuectl_counter (
            name TEXT PRIMARY KEY NOT NULL,
            value REAL NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE queuectl_state_count (
            state TEXT PRIMARY KEY NOT NULL,
            count INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO queuectl_state_count (state, count)
            VALUES ('pending', 0), ('processing', 0), ('completed', 0), ('failed', 0), ('dead', 0);

        CREATE TRIGGER queuectl_job_counted_update AFTER UPDATE OF state ON queuectl_job
            WHEN OLD.state <> NEW.state BEGIN
            UPDATE queuectl_state_count SET count = count - 1 WHERE state = OLD.state;
            UPDATE queuectl_state_count SET count = count + 1 WHERE state = NEW.state;
        END;
        CREATE TRIGGER queuectl_job_counted_delete AFTER DELETE ON queuectl_job BEGIN
            UPDATE queuectl_state_count SET count = count - 1 WHERE state = OLD.state;
        END;
        """

    /// `002`: histograms are stored as bins, one row per sample instead of one per bucket at or above it
    /// (`RunMetrics`): the cumulative `<histogram>_bucket:<bound>` rows become `<histogram>_bin:<bound>`
    /// rows holding the difference to the bucket below.
    static let counterBins = """
        INSERT INTO queuectl_counter (name, value)
        SELECT name, value FROM (
            SELECT replace(name, '_bucket:', '_bin:') AS name,
                value - coalesce(lag(value) OVER (
                    PARTITION BY substr(name, 1, instr(name, '_bucket:'))
                    ORDER BY CAST(substr(name, instr(name, '_bucket:') + 8) AS REAL)), 0) AS value
            FROM queuectl_counter WHERE instr(name, '_bucket:') > 0
        ) WHERE value <> 0
        ON CONFLICT (name) DO UPDATE SET value = queuectl_counter.value + excluded.value;

        DELETE FROM queuectl_counter WHERE instr(name, '_bucket:') > 0;
        """

    /// `007` (as on PostgreSQL; 003 to 006 are PostgreSQL-only): `last_worker`, the worker that claimed a
    /// job's latest run, kept after the run ends (`worker` is cleared then), so `show` can say who ran a
    /// finished job. Set by the claim's UPDATE, which writes the row anyway; adding a nullable column
    /// without a default rewrites nothing.
    static let lastWorker = "ALTER TABLE queuectl_job ADD COLUMN last_worker TEXT;"

    /// `008` (as on PostgreSQL): `timeout_from_config`, whether a job's `timeout` is the `job_timeout` default
    /// because the job named none, so a worker started with `--timeout` can apply its own to exactly those
    /// jobs. Jobs enqueued before are taken as having named theirs (their runs stay as they were).
    static let timeoutFromConfig = "ALTER TABLE queuectl_job ADD COLUMN timeout_from_config INTEGER NOT NULL DEFAULT 0;"

    /// `009` (as on PostgreSQL): the exit-code fields of a job. `no_retry_exit_codes`, the job's own codes
    /// after which it goes straight to dead, as text (`2,64`; SQLite has no arrays and the list is only read
    /// whole); `snoozes`, how many of its runs were snoozed. Constant defaults: nothing is rewritten.
    static let exitCodeFields = """
        ALTER TABLE queuectl_job ADD COLUMN no_retry_exit_codes TEXT NOT NULL DEFAULT '';
        ALTER TABLE queuectl_job ADD COLUMN snoozes INTEGER NOT NULL DEFAULT 0 CHECK (snoozes >= 0);
        """

    /// `013` (as on PostgreSQL): schedules (`schedule add`). One row per schedule, named by its primary key: the
    /// spec (`cron` or `every`, never both, and its zone), the job every tick enqueues (`timeout` and
    /// `max_retries` NULL: the configuration's default when the tick fires), when it was added (ticks before
    /// are never enqueued), and the last tick enqueued with its job's id. Firing a tick is a guarded update of
    /// `last_tick` in the same transaction as the enqueue (`SQLiteSQL.advanceScheduleTick`). The table is read
    /// whole by every worker about once a second; it holds a handful of rows.
    static let schedules = """
        CREATE TABLE queuectl_schedule (
            name TEXT PRIMARY KEY NOT NULL,
            cron TEXT,
            every INTEGER CHECK (every >= 1),
            tz TEXT NOT NULL,
            command TEXT NOT NULL,
            queue TEXT NOT NULL,
            priority INTEGER NOT NULL DEFAULT 0,
            timeout INTEGER CHECK (timeout >= 0),
            max_retries INTEGER CHECK (max_retries >= 0),
            added_at INTEGER NOT NULL,
            last_tick INTEGER,
            last_job TEXT,
            CHECK ((cron IS NULL) <> (every IS NULL))
        ) WITHOUT ROWID;
        """

    /// `011` (as on PostgreSQL; 010 is the `cancelled` state's): what pruning finished jobs needs.
    ///
    /// - `queuectl_job_finished` finds the finished jobs of one state last changed before an instant
    ///   (`purge`, retention) by a range of the index, instead of visiting every job of that state once a
    ///   minute to find none old enough. Partial: only jobs that enter a finished state get an entry, so claims
    ///   and retries (which rewrite `updated_at` of waiting and running jobs) pay nothing for it. Statements
    ///   repeat its predicate word for word, because SQLite uses a partial index only for a query whose WHERE
    ///   contains the index's condition as written. `cancelled` is listed ahead of the state itself.
    /// - `queuectl_maintenance` records when a periodic task (retention) last began, so that of the workers
    ///   of every process sharing the file one takes each turn (`takeTurn`).
    static let pruning = """
        CREATE INDEX queuectl_job_finished ON queuectl_job (state, updated_at)
            WHERE state IN ('completed', 'dead', 'cancelled');
        CREATE TABLE queuectl_maintenance (
            task TEXT PRIMARY KEY NOT NULL,
            ran_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """

    /// Every migration, in order.
    static let all: [Migration] = [
        Migration(version: 1, name: "initial", sql: initial), Migration(version: 2, name: "counter_bins", sql: counterBins),
        Migration(version: 7, name: "last_worker", sql: lastWorker),
        Migration(version: 8, name: "timeout_from_config", sql: timeoutFromConfig),
        Migration(version: 9, name: "exit_code_fields", sql: exitCodeFields),
        Migration(version: 10, name: "cancelled_state", sql: cancelledState),
        Migration(version: 11, name: "pruning", sql: pruning),
        Migration(version: 13, name: "schedules", sql: schedules),
        Migration(version: 14, name: "unique_keys", sql: uniqueKeys),
        Migration(version: 15, name: "queues", sql: queues),
        Migration(version: 17, name: "log_marks", sql: logMarks),
        Migration(version: 19, name: "dependencies", sql: dependencies),
        Migration(version: 20, name: "held_queue_indexes", sql: heldQueueIndexes),
        Migration(version: 22, name: "log_marks_in_row", sql: logMarksInRow),
        Migration(version: 23, name: "finished_index_without_list", sql: finishedIndexWithoutList),
        Migration(version: 24, name: "dependency_signal", sql: dependencySignal),
        Migration(version: 25, name: "run_tally", sql: runTally),
        Migration(version: 26, name: "state_check_without_list", apply: stateCheckWithoutList),
    ]

    /// The newest version; a database at this version needs no work.
    static var latestVersion: Int { all.map(\.version).max() ?? 0 }

    /// Whether the database is at `latestVersion` already: the quick read every open starts with. Run it in
    /// one read transaction, so the table check and the version read see the same snapshot.
    static func isCurrent(_ db: Database) throws -> Bool {
        guard try Bool.fetchOne(db, SQLRequest(literal: SQLiteSQL.migrationTableExists())) == true else { return false }
        return try (Int.fetchOne(db, SQLRequest(literal: SQLiteSQL.latestMigration())) ?? 0) >= latestVersion
    }

    /// Applies the migrations the database lacks. Run it inside one write transaction (GRDB's `write {}`
    /// is IMMEDIATE): it holds the write lock from its first statement, so processes opening a fresh file
    /// at once take turns, and each re-reads the applied versions after the one before it committed.
    static func migrate(_ db: Database) throws {
        try db.execute(literal: SQLiteSQL.createMigrationTable())
        let applied = Set(try Int.fetchAll(db, SQLRequest(literal: SQLiteSQL.appliedMigrations())))
        for migration in all where !applied.contains(migration.version) {
            try migration.apply(db)
            try db.execute(literal: SQLiteSQL.recordMigration(version: migration.version, name: migration.name))
        }
    }
}
