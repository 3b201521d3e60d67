extension SQLiteSQL {
    /// Adds to `count` run counters in one statement: the bound values are name and amount of each, in turn
    /// (`?1`, `?2`, then `?3`, `?4`, …). Plain text, cached per `count` (a run adds 7, a cancel 1): one execution
    /// instead of one per counter, since every run's end pays for it inside the single writer's transaction. The
    /// texts of the usual counts are built once, not per run.
    static func addToCounters(_ count: Int) -> String {
        count < addToCountersTexts.count ? addToCountersTexts[count] : addToCountersText(count)
    }

    private static let addToCountersTexts = (0...16).map(addToCountersText)

    private static func addToCountersText(_ count: Int) -> String {
        """
        INSERT INTO queuectl_counter (name, value) VALUES \(Array(repeating: "(?, ?)", count: max(count, 1)).joined(separator: ", "))
        ON CONFLICT (name) DO UPDATE SET value = value + excluded.value
        """
    }
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
