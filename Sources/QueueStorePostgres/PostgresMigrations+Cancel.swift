extension PostgresMigrations {
    /// `010` (as on SQLite): the `cancelled` state and a job's cancel request.
    ///
    /// The state domain (005) gets its check again with `cancelled` added: replacing a domain's check only
    /// scans the rows to validate them, it rewrites nothing (SQLite, which cannot change a CHECK, rebuilds its
    /// table instead). `cancel_requested_at` (when a `cancel` asked the worker holding the job to stop it) and
    /// `cancel_grace` (milliseconds from SIGTERM to SIGKILL) are nullable without a default: adding them
    /// rewrites nothing either. The worker's lookup of its requests goes through `queuectl_job_worker`.
    static let cancelledState = Migration(
        version: 10, name: "cancelled_state",
        statements: [
            "ALTER DOMAIN queuectl_state DROP CONSTRAINT queuectl_state_check",
            """
            ALTER DOMAIN queuectl_state ADD CONSTRAINT queuectl_state_check
                CHECK (VALUE IN ('pending', 'processing', 'completed', 'failed', 'dead', 'cancelled'))
            """,
            """
            ALTER TABLE queuectl_job ADD COLUMN cancel_requested_at BIGINT,
                ADD COLUMN cancel_grace BIGINT CHECK (cancel_grace >= 0)
            """,
        ])
}
