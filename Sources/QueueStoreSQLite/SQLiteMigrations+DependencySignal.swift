extension SQLiteMigrations {
    /// `024` (SQLite only): the dependency triggers of a change of state (migration 019's `_rewait`,
    /// `_completed` and `_ended`) run only for a job that has dependencies or dependents, behind one small trigger.
    ///
    /// SQLite runs each row trigger as a subprogram with its WHEN inside it: whether the WHEN holds or not, every
    /// firing allocates and clears a frame with a register for every value of the trigger's whole body, and the
    /// bodies of the three are large (json_each, recursive CTEs). So each claim and each run end paid for three such
    /// frames, in a queue where no job has a dependency: a worker's transaction (the end of a run, its counters and
    /// the next claim) took 526,784 instructions before this migration and 431,991 after it, 18% fewer
    /// (`bench/worker_transaction_bench.py`, bench/RESULTS.md).
    ///
    /// Now `_change` alone fires on a change of state. Its WHEN is the three conditions joined by OR, and its
    /// body, one update of one column, is a small frame. When the WHEN holds, it writes the state the row left
    /// into `left_state`, and the three triggers fire on that column instead (an `UPDATE OF` trigger fires whenever
    /// the statement sets the column, whether its value changes or not). Each reads `NEW.left_state` where it read
    /// `OLD.state`; their bodies are those of 019. No other statement sets `left_state`, so it keeps the state the
    /// job last left for them, read by nothing else.
    ///
    /// Nested changes behave as before:
    /// - `recursive_triggers` is off, so `_change` does not fire for the jobs `_ended` cancels. Before, `_ended`
    ///   did not fire for them either (its CTE reached them all already), and neither other trigger holds for a
    ///   pending job cancelled.
    /// - `_rewait` may cancel the job it fires for (a dependency already ended). Before, `_ended` then fired for
    ///   that job. Now nothing fires. That `_ended` did nothing: no job waits for a job that had finished until
    ///   that job is pending again, and at that moment no other statement had run.
    /// - The deletion trigger `_removed` is unchanged. `_change` fires for the jobs it cancels, as `_ended` did.
    static let dependencySignal = """
        ALTER TABLE queuectl_job ADD COLUMN left_state TEXT;
        DROP TRIGGER queuectl_job_dependency_rewait;
        DROP TRIGGER queuectl_job_dependency_completed;
        DROP TRIGGER queuectl_job_dependency_ended;
        CREATE TRIGGER queuectl_job_dependency_change AFTER UPDATE OF state ON queuectl_job
            WHEN (NEW.state = 'pending' AND NEW.after <> '[]' AND (OLD.state IN ('completed', 'dead') OR OLD.state = 'cancelled'))
              OR (NEW.state = 'completed' AND OLD.state <> 'completed' AND NEW.has_dependents)
              OR (NEW.state IN ('dead', 'cancelled') AND OLD.state NOT IN ('dead', 'cancelled')
                  AND (NEW.has_dependents OR NEW.waiting_on > 0)) BEGIN
            UPDATE queuectl_job SET left_state = OLD.state WHERE seq = NEW.seq;
        END;
        \(stateChangeTriggers(firingOn: "left_state", leftState: "NEW.left_state"))
        """
}
