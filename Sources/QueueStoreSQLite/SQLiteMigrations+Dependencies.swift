import QueueCore

extension SQLiteMigrations {
    /// `019` (as on PostgreSQL): dependencies (`enqueue --after`).
    ///
    /// - `after` keeps the ids a job waits for as given (a JSON array, `[]`: none), for the job document.
    /// - `queuectl_job_dependency` holds one row per unfinished dependency of a waiting job (job, dependency),
    ///   and `waiting_on` counts them; `has_dependents` marks a job that a job has waited for. A job is claimable
    ///   only with `waiting_on = 0`: the claim index and the
    ///   due index are rebuilt with that in their predicate, so a million waiting jobs add no entry the claim
    ///   reads (the claim stays the first rows of `queuectl_job_claim`).
    /// - Triggers keep both in the same transaction as the write that changes a dependency, whichever statement
    ///   it is (a run's end, a lost worker's run, cancel, a cancel that wins over a retry, remove, restart,
    ///   dlq retry, an enqueue), so no path can forget them:
    ///   - `_wait` (insert) and `_rewait` (a finished job back to pending: restart, dlq retry) record the
    ///     dependencies that are unfinished now; if one already ended dead or cancelled, the job is cancelled at
    ///     once (`dependency ID ended dead`). A dependency that no longer exists is not waited for: it was
    ///     removed after it completed, or its removal cancelled this job before.
    ///   - `_completed`: the dependents' counts go down and their rows go.
    ///   - `_ended` (dead or cancelled) and `_removed` (deleted before it completed): every job waiting for it,
    ///     transitively (a recursive CTE over the dependency rows), is cancelled with `dependency ID ended
    ///     dead` (`cancelled`, `removed`), naming the job whose end started the cascade, and loses its rows.
    ///   Jobs these triggers cancel count in `jobs_cancelled_total`, as `cancel` counts the waiting jobs it cancels.
    ///   The end and removal triggers do their work only for a job with dependents or one that waits (their WHEN);
    ///   migration 024 puts the triggers of a change of state behind one small trigger, since a WHEN that does
    ///   not hold still costs its trigger's whole frame.
    ///   SQLite's single writer serialises these with every other write, so no enqueue can record a wait on a
    ///   dependency that is ending at that moment. Nested triggers other than these (the state counts) fire as
    ///   for any update; `recursive_triggers` is off, so `_ended` does not fire again for the jobs it cancels
    ///   (its CTE reached them all already).
    static let dependencies = """
        ALTER TABLE queuectl_job ADD COLUMN after TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE queuectl_job ADD COLUMN waiting_on INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE queuectl_job ADD COLUMN has_dependents INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE queuectl_job_dependency (
            job_id TEXT NOT NULL,
            dependency_id TEXT NOT NULL,
            PRIMARY KEY (job_id, dependency_id)
        ) WITHOUT ROWID;
        CREATE INDEX queuectl_job_dependency_dependency ON queuectl_job_dependency (dependency_id);
        DROP INDEX queuectl_job_claim;
        CREATE INDEX queuectl_job_claim ON queuectl_job (priority DESC, run_at, seq)
            WHERE state IN ('pending', 'failed') AND \(SQLiteSQL.notWaiting);
        DROP INDEX queuectl_job_due;
        CREATE INDEX queuectl_job_due ON queuectl_job (run_at)
            WHERE state IN ('pending', 'failed') AND \(SQLiteSQL.notWaiting);
        CREATE TRIGGER queuectl_job_dependency_wait AFTER INSERT ON queuectl_job
            WHEN NEW.after <> '[]' BEGIN
            \(waitForDependencies)
        END;
        \(stateChangeTriggers(firingOn: "state", leftState: "OLD.state"))
        CREATE TRIGGER queuectl_job_dependency_removed AFTER DELETE ON queuectl_job
            WHEN OLD.state IN ('pending', 'failed', 'processing') AND (OLD.has_dependents OR OLD.waiting_on > 0) BEGIN
            DELETE FROM queuectl_job_dependency WHERE job_id = OLD.id;
            UPDATE queuectl_job SET state = 'cancelled', waiting_on = 0,
                last_error = 'dependency ' || OLD.id || ' removed',
                updated_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
                finished_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
            WHERE id IN (\(waitingFor("OLD.id"))) AND state = 'pending';
            \(countCancelled)
            DELETE FROM queuectl_job_dependency WHERE job_id IN (\(waitingFor("OLD.id")));
        END;
        """

    /// The three triggers of a job's change of state, `_rewait`, `_completed` and `_ended` (the row is `NEW`):
    /// 019's fire on `state` and read the state the job left as `OLD.state`; 024's fire on `left_state` and read it
    /// as `NEW.left_state` (`dependencySignal`).
    static func stateChangeTriggers(firingOn column: String, leftState: String) -> String {
        """
        CREATE TRIGGER queuectl_job_dependency_rewait AFTER UPDATE OF \(column) ON queuectl_job
            WHEN NEW.state = 'pending' AND \(leftState) IN ('completed', 'dead', 'cancelled') AND NEW.after <> '[]' BEGIN
            \(waitForDependencies)
        END;
        CREATE TRIGGER queuectl_job_dependency_completed AFTER UPDATE OF \(column) ON queuectl_job
            WHEN NEW.state = 'completed' AND \(leftState) <> 'completed' AND NEW.has_dependents BEGIN
            UPDATE queuectl_job SET waiting_on = waiting_on - 1
            WHERE id IN (SELECT job_id FROM queuectl_job_dependency WHERE dependency_id = NEW.id);
            DELETE FROM queuectl_job_dependency WHERE dependency_id = NEW.id;
        END;
        CREATE TRIGGER queuectl_job_dependency_ended AFTER UPDATE OF \(column) ON queuectl_job
            WHEN NEW.state IN ('dead', 'cancelled') AND \(leftState) NOT IN ('dead', 'cancelled')
                AND (NEW.has_dependents OR NEW.waiting_on > 0) BEGIN
            DELETE FROM queuectl_job_dependency WHERE job_id = NEW.id;
            UPDATE queuectl_job SET state = 'cancelled', waiting_on = 0,
                last_error = 'dependency ' || NEW.id || ' ended ' || NEW.state,
                updated_at = NEW.updated_at, finished_at = NEW.updated_at
            WHERE id IN (\(waitingFor("NEW.id"))) AND state = 'pending';
            \(countCancelled)
            DELETE FROM queuectl_job_dependency WHERE job_id IN (\(waitingFor("NEW.id")));
        END;
        """
    }

    /// The body shared by the `_wait` and `_rewait` triggers of migration 19 (the row is `NEW`): forget any
    /// earlier wait, record one row per dependency that may still complete, count them, and cancel the job at
    /// once if a dependency already ended dead or cancelled (the first such one named, in the order given).
    /// `CROSS JOIN` keeps `json_each` the outer loop, so each dependency is one lookup by id: with a plain join
    /// SQLite's planner scanned `queuectl_job_state` (every pending job) per insert, and a batch of N jobs after
    /// one job cost N² (20,000 took 100 s).
    private static let waitForDependencies = """
        DELETE FROM queuectl_job_dependency WHERE job_id = NEW.id;
            UPDATE queuectl_job SET state = 'cancelled', waiting_on = 0, finished_at = NEW.updated_at,
                last_error = (
                    SELECT 'dependency ' || d.id || ' ended ' || d.state
                    FROM json_each(NEW.after) AS a CROSS JOIN queuectl_job AS d ON d.id = a.value
                    WHERE d.state IN ('dead', 'cancelled') ORDER BY a.key LIMIT 1)
            WHERE seq = NEW.seq AND \(anEndedDependency);
            \(countCancelled)
            INSERT OR IGNORE INTO queuectl_job_dependency (job_id, dependency_id)
                SELECT NEW.id, d.id FROM json_each(NEW.after) AS a CROSS JOIN queuectl_job AS d ON d.id = a.value
                WHERE d.state IN ('pending', 'failed', 'processing') AND NOT \(anEndedDependency);
            UPDATE queuectl_job SET waiting_on = (SELECT count(*) FROM queuectl_job_dependency WHERE job_id = NEW.id)
            WHERE seq = NEW.seq;
            UPDATE queuectl_job SET has_dependents = 1
            WHERE id IN (SELECT dependency_id FROM queuectl_job_dependency WHERE job_id = NEW.id) AND has_dependents = 0;
        """

    /// Whether a job the row `NEW` waits for already ended dead or cancelled.
    private static let anEndedDependency = """
        EXISTS (
                SELECT 1 FROM json_each(NEW.after) AS a CROSS JOIN queuectl_job AS d ON d.id = a.value
                WHERE d.state IN ('dead', 'cancelled'))
        """

    /// Adds the jobs the statement before it cancelled (`changes()`: inside a trigger, the rows of the trigger's
    /// previous statement) to `jobs_cancelled_total`, as `cancel` counts the waiting jobs it cancels.
    private static let countCancelled = """
        INSERT INTO queuectl_counter (name, value) SELECT '\(RunMetrics.jobsCancelled)', changes() WHERE changes() > 0
                ON CONFLICT (name) DO UPDATE SET value = value + excluded.value;
        """

    /// The ids of every job waiting, directly or through others, for the job `id` names (a trigger's
    /// `NEW.id`/`OLD.id`): a recursive CTE over the dependency rows, used as a subquery (SQLite allows a WITH
    /// clause inside a trigger's subquery, not ahead of its statements).
    private static func waitingFor(_ id: String) -> String {
        """
        WITH RECURSIVE waiting (id) AS (
                    SELECT job_id FROM queuectl_job_dependency WHERE dependency_id = \(id)
                    UNION
                    SELECT d.job_id FROM queuectl_job_dependency AS d JOIN waiting AS w ON d.dependency_id = w.id)
                SELECT id FROM waiting
        """
    }
}
