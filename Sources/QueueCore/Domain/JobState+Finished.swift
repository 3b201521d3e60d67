extension JobState {
    /// The finished states: no worker touches a job in them again by itself, so only a person (`restart`,
    /// `remove`, `purge`) or retention changes it. The one list every control-of-work rule reads (what
    /// `restart` and `purge` accept, which jobs retention prunes); it follows `isFinal`, so a state that
    /// becomes final (`cancelled`, when the control branch merges) joins every one of those rules at once.
    public static let finished: Set<JobState> = Set(allCases.filter(\.isFinal))
}
