import QueueCore

/// What a run handed to `JobRunner` left behind: how it ended and, when it wrote no output (so created no log
/// file), its header and end line, for the store to keep (`RunResult.silentRunLog`, `JobLog.append`).
public struct RunReport: Sendable, Equatable {
    /// How the run ended.
    public var end: RunEnd
    /// The header and end line of a run that wrote no output; nil when they are in its log file.
    public var silentRunLog: LogMark?

    public init(end: RunEnd, silentRunLog: LogMark? = nil) {
        self.end = end
        self.silentRunLog = silentRunLog
    }
}
