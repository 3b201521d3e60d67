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

    /// `022` (SQLite only): a job's silent runs' marks in its own row (`PackedLogMarks`), appended by an UPDATE
    /// of the row the run end rewrites in the same transaction, instead of a row of `queuectl_log_mark` and an
    /// entry of its index: two pages fewer in the WAL per silent run. Marks written before stay in
    /// `queuectl_log_mark`, which still takes a row's marks once they pass `PackedLogMarks.rowLimit`; they are
    /// older than any in the row, so a reader shows the table's first. NULL (no mark) costs a row nothing.
    static let logMarksInRow = "ALTER TABLE queuectl_job ADD COLUMN log_marks BLOB;"
}
