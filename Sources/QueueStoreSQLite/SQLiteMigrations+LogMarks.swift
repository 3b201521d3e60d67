import QueueCore

extension SQLiteMigrations {
    /// `017` (SQLite only: PostgreSQL keeps whole logs in `queuectl_log`, where a silent run's lines go with its
    /// result): the header and end line of runs that wrote no output (`LogMark`), so such a run creates no log
    /// file. A run that prints nothing used to cost an inode (creating and later deleting its file); after a mass
    /// deletion on a journal-less ext4 that doubled the worker's CPU per job (0.39 → 1.1–1.3 ms). A row here is
    /// written in the transaction that already records the run's end, so it costs no extra commit.
    ///
    /// Rows go with their job (`ON DELETE CASCADE`: GRDB turns foreign keys on for every connection), so
    /// `remove`, `purge` and retention need no statement of their own; `(job_id, seq)` serves both the read of
    /// a job's marks in order and the cascade's lookup.
    static let logMarks = """
        CREATE TABLE queuectl_log_mark (
            seq INTEGER PRIMARY KEY,
            job_id TEXT NOT NULL REFERENCES queuectl_job (id) ON DELETE CASCADE,
            file_offset INTEGER NOT NULL CHECK (file_offset >= 0),
            bytes BLOB NOT NULL
        );
        CREATE INDEX queuectl_log_mark_job ON queuectl_log_mark (job_id, seq);
        """
}
