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
