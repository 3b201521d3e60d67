extension SQLiteMigrations {
    /// `010` (as on PostgreSQL): the `cancelled` state and a job's cancel request.
    ///
    /// SQLite cannot change a CHECK constraint in place, so the job table is rebuilt the way SQLite's
    /// documentation prescribes for schema changes ALTER TABLE cannot make: a new table with the new
    /// definition, every row copied (with its `seq`, so enqueue order is kept), the old table dropped, the new
    /// one renamed, and its indexes and triggers created again, all in the migration's one transaction (a
    /// failure leaves the old table untouched). The count triggers go first: dropping the table must not count
    /// its rows out of `queuectl_state_count`, which stays as it is and gains a `cancelled` row.
    ///
    /// New columns: `cancel_requested_at` (when a `cancel` asked the worker holding the job to stop it;
    /// NULL: never) and `cancel_grace` (milliseconds from SIGTERM to SIGKILL for that request).
    static let cancelledState = """
        CREATE TABLE queuectl_job_rebuilt (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            command TEXT NOT NULL,
            max_retries INTEGER NOT NULL CHECK (max_retries >= 0),
            priority INTEGER NOT NULL DEFAULT 0,
            run_at INTEGER NOT NULL,
            timeout INTEGER NOT NULL DEFAULT 0 CHECK (timeout >= 0),
            queue TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'processing', 'completed', 'failed', 'dead', 'cancelled')),
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            exit_code INTEGER,
            last_error TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            started_at INTEGER,
            finished_at INTEGER,
            worker TEXT,
            last_worker TEXT,
            timeout_from_config INTEGER NOT NULL DEFAULT 0,
            no_retry_exit_codes TEXT NOT NULL DEFAULT '',
            snoozes INTEGER NOT NULL DEFAULT 0 CHECK (snoozes >= 0),
            cancel_requested_at INTEGER,
            cancel_grace INTEGER CHECK (cancel_grace >= 0),
            CHECK ((state = 'processing') = (worker IS NOT NULL))
        );
        INSERT INTO queuectl_job_rebuilt (
            seq, id, command, max_retries, priority, run_at, timeout, queue, state, attempts, exit_code, last_error,
            created_at, updated_at, started_at, finished_at, worker, last_worker, timeout_from_config,
            no_retry_exit_codes, snoozes)
        SELECT seq, id, command, max_retries, priority, run_at, timeout, queue, state, attempts, exit_code, last_error,
            created_at, updated_at, started_at, finished_at, worker, last_worker, timeout_from_config,
            no_retry_exit_codes, snoozes
        FROM queuectl_job ORDER BY seq;
        DROP TRIGGER queuectl_job_counted_update;
        DROP TRIGGER queuectl_job_counted_delete;
        DROP TABLE queuectl_job;
        ALTER TABLE queuectl_job_rebuilt RENAME TO queuectl_job;
        CREATE INDEX queuectl_job_claim ON queuectl_job (priority DESC, run_at, seq)
            WHERE state IN ('pending', 'failed');
        CREATE INDEX queuectl_job_due ON queuectl_job (run_at) WHERE state IN ('pending', 'failed');
        CREATE INDEX queuectl_job_state ON queuectl_job (state, seq);
        CREATE TRIGGER queuectl_job_counted_update AFTER UPDATE OF state ON queuectl_job
            WHEN OLD.state <> NEW.state BEGIN
            UPDATE queuectl_state_count SET count = count - 1 WHERE state = OLD.state;
            UPDATE queuectl_state_count SET count = count + 1 WHERE state = NEW.state;
        END;
        CREATE TRIGGER queuectl_job_counted_delete AFTER DELETE ON queuectl_job BEGIN
            UPDATE queuectl_state_count SET count = count - 1 WHERE state = OLD.state;
        END;
        INSERT INTO queuectl_state_count (state, count) VALUES ('cancelled', 0);
        """
}
