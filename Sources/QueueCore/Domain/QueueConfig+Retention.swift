extension QueueConfig {
    /// The key holding how long jobs in `state` are kept: `retention_<state>` for each finished state, nil for
    /// any other (those are never pruned). Found by name, so a finished state has its key as soon as both exist.
    public static func retentionKey(of state: JobState) -> Key? {
        guard JobState.finished.contains(state) else { return nil }
        return Key(rawValue: "retention_" + state.rawValue)
    }

    /// Seconds a job in `state` is kept after it last changed; nil when it is kept forever (a retention of 0,
    /// or a state that is not finished).
    public func retention(of state: JobState) -> Int? {
        guard let key = Self.retentionKey(of: state), let seconds = number(of: key), seconds > 0 else { return nil }
        return Int(seconds)
    }
}
