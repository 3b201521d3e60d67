// For the undo of 024, which puts back 019's triggers as the store's own migration code renders them.
@testable import QueueStoreSQLite

/// Takes a database back to an earlier migration so the next open applies the later ones again, as it would
/// for a queue written by an older queuectl. A store migrates only when its latest version is missing, so a
/// test of migration N steps back every migration after N-1 with it: the one place that knows how to undo
/// each migration. A new migration adds its undo here (both stores), and every rollback test keeps working.
public enum MigrationRollback {
    /// The statements that undo each migration on SQLite, by version (versions SQLite never had are absent).
    /// Migration 002 rewrote counter rows in place: tests of it write the old rows themselves.
    static let sqlite: [Int: [String]] = [
        // 026 edited the table's text (`writable_schema`): the undo edits it back. The next open parses it anew.
        26: [
            "PRAGMA writable_schema = ON",
            "UPDATE sqlite_schema SET sql = replace(sql, \(quoted(SQLiteMigrations.stateCheckWithoutList)), "
                + "\(quoted(SQLiteMigrations.stateCheckWithList))) WHERE type = 'table' AND name = 'queuectl_job'",
            "PRAGMA writable_schema = OFF",
        ],
        25: ["DROP TABLE queuectl_run_tally"],
        24: [
            "DROP TRIGGER queuectl_job_dependency_change", "DROP TRIGGER queuectl_job_dependency_rewait",
            "DROP TRIGGER queuectl_job_dependency_completed", "DROP TRIGGER queuectl_job_dependency_ended",
            SQLiteMigrations.stateChangeTriggers(firingOn: "state", leftState: "OLD.state"),
            "ALTER TABLE queuectl_job DROP COLUMN left_state",
        ],
        22: ["ALTER TABLE queuectl_job DROP COLUMN log_marks"],
        23: [
            "DROP INDEX queuectl_job_finished",
            "CREATE INDEX queuectl_job_finished ON queuectl_job (state, updated_at) WHERE state IN ('completed', 'dead', 'cancelled')",
        ],
        20: [
            "DROP INDEX queuectl_job_queue_claim", "DROP INDEX queuectl_job_due",
            "CREATE INDEX queuectl_job_due ON queuectl_job (run_at) WHERE state IN ('pending', 'failed') AND waiting_on = 0",
        ],
        19: [
            "DROP TRIGGER queuectl_job_dependency_wait", "DROP TRIGGER queuectl_job_dependency_rewait",
            "DROP TRIGGER queuectl_job_dependency_completed", "DROP TRIGGER queuectl_job_dependency_ended",
            "DROP TRIGGER queuectl_job_dependency_removed", "DROP TABLE queuectl_job_dependency",
            "DROP INDEX queuectl_job_claim", "DROP INDEX queuectl_job_due",
            "CREATE INDEX queuectl_job_claim ON queuectl_job (priority DESC, run_at, seq) WHERE state IN ('pending', 'failed')",
            "CREATE INDEX queuectl_job_due ON queuectl_job (run_at) WHERE state IN ('pending', 'failed')",
            "ALTER TABLE queuectl_job DROP COLUMN after", "ALTER TABLE queuectl_job DROP COLUMN waiting_on",
            "ALTER TABLE queuectl_job DROP COLUMN has_dependents",
        ],
        17: ["DROP TABLE queuectl_log_mark"],
        15: ["DROP TABLE queuectl_queue"],
        14: ["DROP INDEX queuectl_job_unique_key", "ALTER TABLE queuectl_job DROP COLUMN unique_key"],
        13: ["DROP TABLE queuectl_schedule"],
        11: ["DROP INDEX queuectl_job_finished", "DROP TABLE queuectl_maintenance"],
        10: [
            "ALTER TABLE queuectl_job DROP COLUMN cancel_requested_at", "ALTER TABLE queuectl_job DROP COLUMN cancel_grace",
            "DELETE FROM queuectl_state_count WHERE state = 'cancelled'",
        ],
        9: ["ALTER TABLE queuectl_job DROP COLUMN no_retry_exit_codes", "ALTER TABLE queuectl_job DROP COLUMN snoozes"],
        8: ["ALTER TABLE queuectl_job DROP COLUMN timeout_from_config"],
        7: ["ALTER TABLE queuectl_job DROP COLUMN last_worker"],
    ]

    /// The statements that undo each migration on PostgreSQL, by version.
    static let postgres: [Int: [String]] = [
        // 021 rewrote 019's function with `in_dependencies` set where it links jobs: the undo takes those
        // assignments out of the function as it is now, and restores 019's trigger.
        21: [
            "DROP TRIGGER queuectl_job_dependency_changed ON queuectl_job",
            """
            CREATE TRIGGER queuectl_job_dependency_changed AFTER UPDATE OF state ON queuectl_job FOR EACH ROW
            WHEN (NEW.has_dependents OR NEW.waiting_on > 0 OR (NEW.state = 'pending' AND cardinality(NEW.after) > 0))
            EXECUTE FUNCTION queuectl_job_dependency_change()
            """,
            """
            DO $$ BEGIN
                EXECUTE replace(replace(pg_get_functiondef('queuectl_job_dependency_change()'::regprocedure),
                    ', in_dependencies = true', ''), '(NOT in_dependencies OR waiting_on <> unfinished)', 'waiting_on <> unfinished');
            END $$
            """,
            "ALTER TABLE queuectl_job DROP COLUMN in_dependencies",
        ],
        // 020 put a call of `queuectl_due_heads` in place of the query of the function's loop: the undo puts 019's
        // query back in the function as it is now (its definition, rewritten), then drops the helper.
        20: [
            "DROP INDEX queuectl_job_queue_claim", "DROP INDEX queuectl_job_due",
            "CREATE INDEX queuectl_job_due ON queuectl_job (run_at) WHERE state IN ('pending', 'failed') AND waiting_on = 0",
            """
            DO $$ BEGIN
                EXECUTE replace(pg_get_functiondef('queuectl_due_jobs(bigint, text[], bigint)'::regprocedure),
                    'SELECT h.due_seq AS seq, h.due_queue AS queue FROM queuectl_due_heads($1, $2, held, taken, $3 - cardinality(taken)) h',
                    $query$SELECT j.seq, j.queue FROM queuectl_job j
                    WHERE j.state IN ('pending', 'failed') AND j.waiting_on = 0 AND j.run_at <= $1
                      AND (cardinality($2) = 0 OR j.queue = ANY($2))
                      AND NOT (j.queue = ANY(held)) AND NOT (j.seq = ANY(taken))
                    ORDER BY j.priority DESC, j.run_at, j.seq
                    LIMIT $3 - cardinality(taken)
                    FOR UPDATE SKIP LOCKED$query$);
            END $$
            """,
            "DROP FUNCTION queuectl_due_heads(bigint, text[], text[], bigint[], bigint)",
        ],
        // 019 restated 018's function with `waiting_on = 0` in its selections: the undo takes that condition out of
        // the function as it is now (its definition, rewritten), so 018's body is back without a copy of it here.
        19: [
            "DROP TRIGGER queuectl_job_wait ON queuectl_job",
            "DROP TRIGGER queuectl_job_dependency_changed ON queuectl_job",
            "DROP TRIGGER queuectl_job_dependency_removed ON queuectl_job",
            "DROP FUNCTION queuectl_job_dependency_change()",
            "DROP FUNCTION queuectl_cancel_dependents(text, text, bigint)", "DROP TABLE queuectl_job_dependency",
            "DROP INDEX queuectl_job_claim", "DROP INDEX queuectl_job_due",
            "CREATE INDEX queuectl_job_claim ON queuectl_job (priority DESC, run_at, seq) WHERE state IN ('pending', 'failed')",
            "CREATE INDEX queuectl_job_due ON queuectl_job (run_at) WHERE state IN ('pending', 'failed')",
            "ALTER TABLE queuectl_job DROP COLUMN after, DROP COLUMN waiting_on, DROP COLUMN has_dependents",
            """
            DO $$ BEGIN
                EXECUTE replace(pg_get_functiondef('queuectl_due_jobs(bigint, text[], bigint)'::regprocedure),
                    ' AND j.waiting_on = 0', '');
            END $$
            """,
        ],
        // 018 rewrote 015's function with the same behaviour (faster without settings): 015's undo replaces it.
        18: [],
        // 015 replaced 003/004's function: its undo restores their body and settings.
        15: [
            "DROP TABLE queuectl_queue",
            """
            CREATE OR REPLACE FUNCTION queuectl_due_jobs(bigint, text[], bigint) RETURNS SETOF bigint
            LANGUAGE plpgsql VOLATILE ROWS 1
            SET enable_sort = off SET enable_bitmapscan = off SET enable_seqscan = off
            SET plan_cache_mode = force_generic_plan
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
            """,
        ],
        14: ["DROP INDEX queuectl_job_unique_key", "ALTER TABLE queuectl_job DROP COLUMN unique_key"],
        13: ["DROP TABLE queuectl_schedule"],
        11: ["DROP INDEX queuectl_job_finished", "DROP TABLE queuectl_maintenance"],
        10: [
            "ALTER TABLE queuectl_job DROP COLUMN cancel_requested_at, DROP COLUMN cancel_grace",
            "ALTER DOMAIN queuectl_state DROP CONSTRAINT queuectl_state_check",
            """
            ALTER DOMAIN queuectl_state ADD CONSTRAINT queuectl_state_check
                CHECK (VALUE IN ('pending', 'processing', 'completed', 'failed', 'dead'))
            """,
        ],
        9: ["ALTER TABLE queuectl_job DROP COLUMN no_retry_exit_codes, DROP COLUMN snoozes"],
        8: ["ALTER TABLE queuectl_job DROP COLUMN timeout_from_config"],
        7: ["ALTER TABLE queuectl_job DROP COLUMN last_worker"],
        6: ["DROP INDEX queuectl_job_id_bytes"],
        5: [
            """
            ALTER TABLE queuectl_job ALTER COLUMN state TYPE text, ALTER COLUMN max_retries TYPE integer,
                ALTER COLUMN timeout TYPE integer, ALTER COLUMN attempts TYPE integer,
                ADD CHECK (state IN ('pending', 'processing', 'completed', 'failed', 'dead')),
                ADD CHECK (max_retries >= 0), ADD CHECK (timeout >= 0), ADD CHECK (attempts >= 0)
            """,
            "DROP DOMAIN queuectl_state",
            "DROP DOMAIN queuectl_natural",
        ],
        // 004 replaced 003's function; dropping it undoes both.
        3: ["DROP FUNCTION queuectl_due_jobs(bigint, text[], bigint)"],
    ]

    /// `text` as an SQL string literal.
    private static func quoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    }

    /// The statements that take a database on `backend` back to `version`: the undo of every later migration,
    /// newest first, then the migration table forgets them.
    public static func statements(backTo version: Int, on backend: TestBackend) -> [String] {
        let undos = backend == .postgres ? postgres : sqlite
        let later = undos.keys.filter { $0 > version }.sorted(by: >)
        return later.flatMap { undos[$0] ?? [] } + ["DELETE FROM queuectl_migration WHERE version > \(version)"]
    }
}

extension TestBackend {
    /// Takes the database at `url` back to migration `version` (see `MigrationRollback`).
    public func rollBack(_ url: String, to version: Int) async throws {
        try await execute(rawSQL: MigrationRollback.statements(backTo: version, on: self), on: url)
    }
}
