extension SQLiteMigrations {
    /// `025` (SQLite only): a finished run is counted in one row, `queuectl_run_tally`, instead of seven counter rows.
    ///
    /// A run added 1 to its outcome counter and, for each of its two histograms, 1 to a bin, 1 to the count and its
    /// value to the sum: seven rows of `queuectl_counter` upserted in the writer's transaction after every run, about
    /// 43,000 instructions of the 450,000 a worker's transaction took (`bench/worker_transaction_bench.py`). Runs with
    /// the same outcome and the same two bins add to the same counters, so they share a row here (`RunTally.Cell`:
    /// at most 5 × 16 × 16, a few in practice), which holds how many they are and their samples' sums: one upsert
    /// of one row, about 17,000. A bin of -1 is no sample; 14 (`RunMetrics.buckets.count`) a sample above the last
    /// bound. Reading the counters adds the rows' increments (`RunMetrics.add`) to `queuectl_counter`'s, which keeps
    /// what runs counted before this migration and the counters that are not a run's (`jobs_cancelled_total` of a
    /// job cancelled while waiting).
    static let runTally = """
        CREATE TABLE queuectl_run_tally (
            outcome TEXT NOT NULL,
            run_bin INTEGER NOT NULL,
            pickup_bin INTEGER NOT NULL,
            runs INTEGER NOT NULL,
            run_seconds REAL NOT NULL,
            pickup_seconds REAL NOT NULL,
            PRIMARY KEY (outcome, run_bin, pickup_bin)
        ) WITHOUT ROWID;
        """
}
