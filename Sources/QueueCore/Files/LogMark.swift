import QueueFormatting

/// Lines of a job's log kept in the store instead of its log file: the header and end line of a run that
/// wrote no output. Such a run creates no file (an inode per silent job is what made a drain after a mass
/// deletion cost twice the CPU); its two lines are kept where they cost nothing more: in the transaction
/// that already records the run's end. `JobLog.read` shows them where they belong in the log.
public struct LogMark: Sendable, Equatable {
    /// The size the job's log file had when the run ended (0: no file): the lines come before the file's
    /// byte at this offset, so they sit between the runs that wrote output before and after them.
    public var fileOffset: Int
    /// The lines, each ending in a newline (set only by the initializers, so they stay what `silentRun` makes).
    public private(set) var bytes: [UInt8]
    /// What the lines were made from, when they are a silent run's header and end line: a store may keep these
    /// parts instead of the bytes (SQLite's `PackedLogMarks`: 61 bytes instead of 153 in every finished row).
    public let silentRun: SilentRunLines?

    public init(fileOffset: Int, bytes: [UInt8]) {
        self.fileOffset = fileOffset
        self.bytes = bytes
        silentRun = nil
    }

    /// Marks are the same lines at the same place, whatever they were made from.
    public static func == (left: LogMark, right: LogMark) -> Bool {
        left.fileOffset == right.fileOffset && left.bytes == right.bytes
    }

    /// The mark of a silent run: `lines`' header and end line.
    public init(fileOffset: Int, silentRun lines: SilentRunLines) {
        self.fileOffset = fileOffset
        bytes = Array(lines.text.utf8)
        silentRun = lines
    }
}

/// The header and end line of a run that wrote no output, by their parts, each time in milliseconds as the lines
/// show it (`Timestamp.milliseconds`), so the text made from them is the worker's, byte for byte.
public struct SilentRunLines: Sendable, Equatable {
    /// The run's attempt number.
    public var attempt: Int
    /// When it started (milliseconds since the epoch).
    public var startedAt: Int64
    /// The worker that ran it.
    public var worker: String
    /// How it ended, as its end line tells it (`RunLogLine.describe`).
    public var ending: String
    /// When it ended (milliseconds since the epoch).
    public var endedAt: Int64

    public init(attempt: Int, startedAt: Int64, worker: String, ending: String, endedAt: Int64) {
        self.attempt = attempt
        self.startedAt = startedAt
        self.worker = worker
        self.ending = ending
        self.endedAt = endedAt
    }

    /// The header (`RunHeader`) and the end line (`RunHeader.endLine`).
    public var text: String {
        RunHeader.text(attempt: attempt, start: ISOTimestamp.format(milliseconds: startedAt), worker: worker)
            + RunHeader.endLine(attempt: attempt, ending, end: ISOTimestamp.format(milliseconds: endedAt))
    }
}
