extension SQLiteSQL {
    /// Adds `?2` to the counter named `?1`. A finished run is counted through `addRunTally` (migration 025); this
    /// is for the counters that are not a run's (`jobs_cancelled_total` of jobs cancelled without a run).
    static let addToCounter = """
        INSERT INTO queuectl_counter (name, value) VALUES (?1, ?2)
        ON CONFLICT (name) DO UPDATE SET value = value + excluded.value
        """
}

/// A finished run's row of `queuectl_run_tally` (migration 025).
extension SQLiteSQL {
    /// Adds one run to its cell: `?1` the outcome, `?2` and `?3` the bins of its run duration and pickup delay (-1:
    /// no sample, `noSampleBin`), `?4` and `?5` the samples (0 for none).
    static let addRunTally = """
        INSERT INTO queuectl_run_tally (outcome, run_bin, pickup_bin, runs, run_seconds, pickup_seconds)
        VALUES (?1, ?2, ?3, 1, ?4, ?5)
        ON CONFLICT (outcome, run_bin, pickup_bin) DO UPDATE SET runs = runs + 1,
            run_seconds = run_seconds + excluded.run_seconds, pickup_seconds = pickup_seconds + excluded.pickup_seconds
        """

    /// The bin column of a histogram without a sample.
    static let noSampleBin = -1

    /// Every cell's runs and sums.
    static let runTallies = "SELECT outcome, run_bin, pickup_bin, runs, run_seconds, pickup_seconds FROM queuectl_run_tally"
}
