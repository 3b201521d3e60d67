/// Every statement of the fast path, written against the schema as the stores' migrations leave it at
/// `knownSchemaVersion` (the same statements as `SQLiteSQL`'s of the same names). A database at any other
/// version is declined, so a new migration cannot make these statements read a schema they were not written for.
enum FastPathSQL {
    /// The newest migration of `SQLiteMigrations.all`. When a migration is added without this being raised (and
    /// these statements checked against it), the fast path declines every store and `FastPathTests` fails.
    /// 020 changed only indexes (`queuectl_job_due`, `queuectl_job_queue_claim`), none of which these statements
    /// name; PostgreSQL's 021 is not a SQLite migration; 022 added `queuectl_job.log_marks`, which these
    /// statements neither read (columns are named) nor write (the insert names its columns; NULL is no mark); 023
    /// redefined only `queuectl_job_finished`, which they do not name either; 024 added
    /// `queuectl_job.left_state` (written by a trigger only) and replaced triggers, which the insert fires as before;
    /// 025 added `queuectl_run_tally`, which they do not name; 026 rewrote the state CHECK with the same meaning.
    static let knownSchemaVersion: Int64 = 26

    static let synchronousFull = "PRAGMA synchronous = FULL"
    static let journalMode = "PRAGMA journal_mode"
    static let beginDeferred = "BEGIN DEFERRED"
    static let commit = "COMMIT"
    static let rollback = "ROLLBACK"

    /// The highest applied migration (`SQLiteSQL.latestMigration`).
    static let schemaVersion = "SELECT max(version) FROM queuectl_migration"

    /// The number of jobs in each state (`SQLiteSQL.stateCounts`).
    static let stateCounts = "SELECT state, count FROM queuectl_state_count"

    /// Workers whose heartbeat is at or after `?1` in milliseconds (`SQLiteSQL.liveWorkerCount`).
    static let liveWorkerCount = "SELECT COUNT(*) FROM queuectl_worker WHERE heartbeat_at >= ?1"

    /// One stored configuration value: `?1` is the key (`SQLiteSQL.configuration`, for one key).
    static let configurationValue = "SELECT value FROM queuectl_config WHERE key = ?1"
}

extension FastPathSQL {
    /// The columns `FastPathJob` reads (by name), as `JobColumn` names them.
    static let jobColumns = """
        id, command, max_retries, priority, run_at, timeout, queue, state, attempts, exit_code, last_error, \
        created_at, updated_at, started_at, finished_at, worker, last_worker, no_retry_exit_codes, snoozes, \
        unique_key, after
        """

    /// The job whose id is `?1` (`SQLiteSQL.job`).
    static let job = "SELECT " + jobColumns + " FROM queuectl_job WHERE id = ?1"

    /// Jobs in enqueue order (`SQLiteSQL.jobs`): in one of `stateCount` states and one of `queueCount` queues
    /// (either unrestricted when 0), bound in that order, then the limit (-1: none) and the offset.
    static func jobs(stateCount: Int, queueCount: Int) -> String {
        func list(_ count: Int) -> String { "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")" }
        var conditions: [String] = []
        if stateCount > 0 { conditions.append("state IN " + list(stateCount)) }
        if queueCount > 0 { conditions.append("queue IN " + list(queueCount)) }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return "SELECT " + jobColumns + " FROM queuectl_job" + filter + " ORDER BY seq LIMIT ? OFFSET ?"
    }
}

extension FastPathSQL {
    static let beginImmediate = "BEGIN IMMEDIATE"

    /// `SQLiteSQL.insertJob` for a job without a unique key, dependencies or run history: `?1` id, `?2` command,
    /// `?3` max_retries, `?4` run_at (also created_at and updated_at), `?5` timeout, `?6` queue. The
    /// `ON CONFLICT` clause is kept as there: the statement is the same insert, whatever the job holds.
    static let insertPendingJob = """
        INSERT INTO queuectl_job (id, command, max_retries, priority, run_at, timeout, queue, state, attempts, \
        exit_code, last_error, created_at, updated_at, started_at, finished_at, worker, timeout_from_config, \
        no_retry_exit_codes, unique_key, after)
        VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, 'pending', 0, NULL, NULL, ?4, ?4, NULL, NULL, NULL, 1, '', NULL, '[]')
        ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN ('pending', 'failed', 'processing')
        DO NOTHING
        """

    /// Counts one inserted pending job (`SQLiteSQL.countInserted`: there is no INSERT trigger).
    static let countInsertedPending = "UPDATE queuectl_state_count SET count = count + 1 WHERE state = 'pending'"

    /// `Database.checkpoint(.truncate)`, as `SQLiteJobStore.close()` runs it on a large WAL.
    static let checkpointTruncate = "PRAGMA wal_checkpoint(TRUNCATE)"
}
