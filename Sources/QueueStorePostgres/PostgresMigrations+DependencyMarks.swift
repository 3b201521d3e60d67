extension PostgresMigrations {
    /// `021` (PostgreSQL only): the dependency trigger on a change of state is asked about one boolean column.
    ///
    /// 019's `queuectl_job_dependency_changed` let through `NEW.has_dependents OR NEW.waiting_on > 0 OR (NEW.state =
    /// 'pending' AND cardinality(NEW.after) > 0)`. PostgreSQL prepares a trigger's WHEN for every statement that
    /// changes a state, and the run's end that claims the next job changes two rows in two UPDATEs: the function
    /// lookups of that expression cost every job, dependencies or not. Measured here, a run's end alone (one
    /// UPDATE, 5,000 rows, fastest of 100 batches): about 27–38 µs without the trigger, 35–56 µs with 019's WHEN,
    /// 27–42 µs with a WHEN of one boolean column.
    ///
    /// - `in_dependencies` is true for a job that takes part in dependencies: one that waits or waited for others
    ///   (`after` not empty) or one that another waited for (`has_dependents`). It is what 019's WHEN tells apart,
    ///   as one column; the trigger's function still decides which change it is. Existing rows get it from the same
    ///   columns, once (a scan of the job table; a constant default rewrites nothing).
    /// - The function (019's) also sets it where it links jobs: on the waiting job as it counts its waits or
    ///   cancels it at once, and on the jobs it waits for as it marks them `has_dependents`, in the same statements.
    /// - The trigger is replaced with the same events and function and `WHEN (NEW.in_dependencies)`. The jobs a
    ///   cascade cancels now reach the function too; it finds nothing left to do for them (the cascade removed their
    ///   rows), as for the cancelled jobs with dependents before.
    static let dependencyMarks = Migration(
        version: 21, name: "dependency_marks",
        statements: [
            "ALTER TABLE queuectl_job ADD COLUMN \(inDependencies) BOOLEAN NOT NULL DEFAULT false",
            """
            UPDATE queuectl_job SET \(inDependencies) = true
            WHERE has_dependents OR waiting_on > 0 OR cardinality(after) > 0
            """,
            "CREATE OR REPLACE" + dependencyChangeFunction(marking: inDependencies).dropFirst("CREATE".count),
            "DROP TRIGGER queuectl_job_dependency_changed ON queuectl_job",
            """
            CREATE TRIGGER queuectl_job_dependency_changed AFTER UPDATE OF state ON queuectl_job FOR EACH ROW
            WHEN (NEW.\(inDependencies)) EXECUTE FUNCTION queuectl_job_dependency_change()
            """,
        ])

    /// The column 021 adds: whether a job takes part in dependencies.
    private static let inDependencies = "in_dependencies"
}
