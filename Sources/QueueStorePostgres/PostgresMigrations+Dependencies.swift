import QueueCore

extension PostgresMigrations {
    /// `019` (as on SQLite): dependencies (`enqueue --after`).
    ///
    /// - `after` keeps the ids a job waits for as given (`text[]`, `{}`: none), for the job document.
    /// - `queuectl_job_dependency` holds one row per unfinished dependency of a waiting job (job, dependency), and
    ///   `waiting_on` counts them; `has_dependents` marks a job that another job has waited for. A job is
    ///   claimable only with `waiting_on = 0`: the claim and due indexes are rebuilt with that in their predicate
    ///   and `queuectl_due_jobs` (003/004) is replaced with the same condition (and the same settings), so a
    ///   million waiting jobs add no entry a claim reads. Constant defaults: adding the columns rewrites nothing;
    ///   the indexes are rebuilt once (writers wait meanwhile).
    /// - Triggers keep both in the transaction of the write that changes a dependency, whichever statement it is
    ///   (a run's end in the result-and-claim statement, a lost worker's run, cancel, a cancel that wins over a
    ///   retry, remove, restart, dlq retry, an enqueue), so no path can forget them. One function,
    ///   `queuectl_job_dependency_change`, behind one trigger per kind of write (insert, update of `state`,
    ///   delete), each with a WHEN that lets through only:
    ///   - an insert with `after`, or a finished job back to pending (restart, dlq retry): records the
    ///     dependencies that are unfinished now, or cancels the job at once if one already ended dead or
    ///     cancelled. It first locks the dependencies' rows (`FOR NO KEY UPDATE`, in `seq` order, as it then marks
    ///     them `has_dependents`): a dependency that another transaction is ending is read as it ended, and one
    ///     locked first cannot end until this enqueue committed its rows, which that end's trigger then sees
    ///     (READ COMMITTED: each statement of a trigger takes a new snapshot). A dependency that no longer exists
    ///     is not waited for.
    ///   - the completion of a job with dependents: their counts go down, their rows go, and idle workers are
    ///     woken (the claim in the same statement cannot see the dependents it released).
    ///   - a job with dependents, or a waiting one, ending dead or cancelled or deleted unfinished:
    ///     `queuectl_cancel_dependents` cancels every job waiting for it, transitively (recursive CTE), with
    ///     `dependency ID ended dead` (`cancelled`, `removed`), locking them in `seq` order (the order in which
    ///     enqueues lock, since a dependent is always enqueued after its dependency), so the two never deadlock.
    ///   So a queue without dependencies pays one WHEN per state change, and no function call. Jobs these
    ///   triggers cancel count in `jobs_cancelled_total`, as `cancel` counts the waiting jobs it cancels.
    ///   PostgreSQL fires the trigger again for the jobs a cascade cancels; those find no rows left (the cascade
    ///   removed them in the same statement) unless an enqueue committed a new dependent meanwhile, which is then
    ///   cancelled too.
    static let dependencies = Migration(
        version: 19, name: "dependencies",
        statements: [
            """
            ALTER TABLE queuectl_job ADD COLUMN after TEXT[] NOT NULL DEFAULT '{}',
                ADD COLUMN waiting_on INTEGER NOT NULL DEFAULT 0, ADD COLUMN has_dependents BOOLEAN NOT NULL DEFAULT false
            """,
            """
            CREATE TABLE queuectl_job_dependency (
                job_id TEXT NOT NULL,
                dependency_id TEXT NOT NULL,
                PRIMARY KEY (job_id, dependency_id)
            )
            """,
            "CREATE INDEX queuectl_job_dependency_dependency ON queuectl_job_dependency (dependency_id)",
            "DROP INDEX queuectl_job_claim",
            """
            CREATE INDEX queuectl_job_claim ON queuectl_job (priority DESC, run_at, seq)
                WHERE state IN ('pending', 'failed') AND \(PostgresSQL.notWaiting)
            """,
            "DROP INDEX queuectl_job_due",
            """
            CREATE INDEX queuectl_job_due ON queuectl_job (run_at)
                WHERE state IN ('pending', 'failed') AND \(PostgresSQL.notWaiting)
            """,
            dueJobsHonouringQueues(extraCondition: " AND j.\(PostgresSQL.notWaiting)"),
            """
            CREATE FUNCTION queuectl_cancel_dependents(ended text, reason text, at bigint) RETURNS void
            LANGUAGE plpgsql VOLATILE AS $$
            DECLARE
                cancelled INTEGER;
            BEGIN
                WITH RECURSIVE waiting (id) AS (
                    SELECT job_id FROM queuectl_job_dependency WHERE dependency_id = ended
                    UNION
                    SELECT d.job_id FROM queuectl_job_dependency d JOIN waiting w ON d.dependency_id = w.id
                ),
                locked AS (
                    SELECT j.seq FROM queuectl_job j
                    WHERE j.id IN (SELECT id FROM waiting) AND j.state = 'pending'
                    ORDER BY j.seq FOR UPDATE
                ),
                unlinked AS (
                    DELETE FROM queuectl_job_dependency WHERE job_id IN (SELECT id FROM waiting)
                )
                UPDATE queuectl_job j SET state = 'cancelled', waiting_on = 0, last_error = reason,
                    updated_at = at, finished_at = at
                FROM locked WHERE j.seq = locked.seq;
                GET DIAGNOSTICS cancelled = ROW_COUNT;
                IF cancelled > 0 THEN
                    \(countCancelled("cancelled"))
                END IF;
            END
            $$
            """,
            dependencyChangeFunction(marking: nil),
            """
            CREATE TRIGGER queuectl_job_wait AFTER INSERT ON queuectl_job FOR EACH ROW
            WHEN (cardinality(NEW.after) > 0) EXECUTE FUNCTION queuectl_job_dependency_change()
            """,
            // One UPDATE trigger with a WHEN of plain columns: its WHEN is prepared for every statement that
            // changes a state (a run's end updates one row), and three triggers whose WHENs compared states
            // against lists took a run's end from about 55 to 95-100 µs here (debug build, loaded machine).
            """
            CREATE TRIGGER queuectl_job_dependency_changed AFTER UPDATE OF state ON queuectl_job FOR EACH ROW
            WHEN (NEW.has_dependents OR NEW.waiting_on > 0 OR (NEW.state = 'pending' AND cardinality(NEW.after) > 0))
            EXECUTE FUNCTION queuectl_job_dependency_change()
            """,
            """
            CREATE TRIGGER queuectl_job_dependency_removed AFTER DELETE ON queuectl_job FOR EACH ROW
            WHEN (OLD.has_dependents OR OLD.waiting_on > 0) EXECUTE FUNCTION queuectl_job_dependency_change()
            """,
        ])

    /// `queuectl_job_dependency_change()`, the function behind migration 19's triggers, as 019 created it
    /// (`marking` nil) or as 021 replaces it: with `marking` (a boolean column) set to true on the jobs it links,
    /// the job that waits (when its waits are counted, or when it is cancelled at once because a dependency had
    /// already ended) and the jobs it waits for (with `has_dependents`). 019's text is this with nil, unchanged.
    static func dependencyChangeFunction(marking column: String?) -> String {
        let marked = column.map { ", \($0) = true" } ?? ""
        // 019 sets `waiting_on` only when it changes; 021 also when the job is not marked yet.
        let unmarkedOr = column.map { "(NOT \($0) OR " } ?? ""
        let unmarkedClose = column == nil ? "" : ")"
        return """
        CREATE FUNCTION queuectl_job_dependency_change() RETURNS trigger LANGUAGE plpgsql VOLATILE AS $$
        DECLARE
            ended RECORD;
            unfinished INTEGER;
        BEGIN
            -- The triggers' WHEN only tells jobs that take part in dependencies apart; which change this is
            -- is decided here, where comparing states costs nothing for every other job.
            IF TG_OP = 'DELETE' THEN
                IF OLD.state IN ('pending', 'failed', 'processing') THEN
                    DELETE FROM queuectl_job_dependency WHERE job_id = OLD.id;
                    PERFORM queuectl_cancel_dependents(
                        OLD.id, 'dependency ' || OLD.id || ' removed',
                        (extract(epoch FROM statement_timestamp()) * 1000)::bigint);
                END IF;
            ELSIF NEW.state = 'pending' THEN
                IF TG_OP = 'UPDATE' AND OLD.state NOT IN ('completed', 'dead', 'cancelled') THEN
                    RETURN NULL;
                END IF;
                -- Enqueued, or back to pending (restart, dlq retry): wait for what is unfinished now.
                PERFORM 1 FROM queuectl_job WHERE id = ANY(NEW.after) ORDER BY seq FOR NO KEY UPDATE;
                DELETE FROM queuectl_job_dependency WHERE job_id = NEW.id;
                SELECT d.id, d.state INTO ended FROM queuectl_job d
                WHERE d.id = ANY(NEW.after) AND d.state IN ('dead', 'cancelled')
                ORDER BY array_position(NEW.after, d.id) LIMIT 1;
                IF FOUND THEN
                    UPDATE queuectl_job SET state = 'cancelled', waiting_on = 0, finished_at = NEW.updated_at\(marked),
                        last_error = 'dependency ' || ended.id || ' ended ' || ended.state
                    WHERE seq = NEW.seq;
                    \(countCancelled("1"))
                    RETURN NULL;
                END IF;
                INSERT INTO queuectl_job_dependency (job_id, dependency_id)
                SELECT NEW.id, d.id FROM queuectl_job d
                WHERE d.id = ANY(NEW.after) AND d.state IN ('pending', 'failed', 'processing')
                ON CONFLICT DO NOTHING;
                GET DIAGNOSTICS unfinished = ROW_COUNT;
                UPDATE queuectl_job SET waiting_on = unfinished\(marked) WHERE seq = NEW.seq AND \(unmarkedOr)waiting_on <> unfinished\(unmarkedClose);
                UPDATE queuectl_job SET has_dependents = true\(marked)
                WHERE id IN (SELECT dependency_id FROM queuectl_job_dependency WHERE job_id = NEW.id)
                  AND NOT has_dependents;
            ELSIF NEW.state = 'completed' AND OLD.state <> 'completed' THEN
                WITH released AS (
                    DELETE FROM queuectl_job_dependency WHERE dependency_id = NEW.id RETURNING job_id
                )
                UPDATE queuectl_job SET waiting_on = waiting_on - 1 WHERE id IN (SELECT job_id FROM released);
                IF FOUND THEN
                    PERFORM pg_notify('\(PostgresSQL.wakeupChannel)', 'enqueue');
                END IF;
            ELSIF NEW.state IN ('dead', 'cancelled') AND OLD.state NOT IN ('dead', 'cancelled') THEN
                DELETE FROM queuectl_job_dependency WHERE job_id = NEW.id;
                PERFORM queuectl_cancel_dependents(
                    NEW.id, 'dependency ' || NEW.id || ' ended ' || NEW.state, NEW.updated_at);
            END IF;
            RETURN NULL;
        END
        $$
        """
    }

    /// Adds `amount` jobs to `jobs_cancelled_total` in this connection's shard (as `PostgresSQL.addToCounter`):
    /// jobs the triggers of migration 19 cancel count as the waiting jobs `cancel` cancels do.
    private static func countCancelled(_ amount: String) -> String {
        """
        INSERT INTO queuectl_counter (name, shard, value)
                    VALUES ('\(RunMetrics.jobsCancelled)', pg_backend_pid() % 64, \(amount))
                    ON CONFLICT (name, shard) DO UPDATE SET value = queuectl_counter.value + excluded.value;
        """
    }
}
