/// Lines of a job's log kept in the store instead of its log file: the header and end line of a run that
/// wrote no output. Such a run creates no file (an inode per silent job is what made a drain after a mass
/// deletion cost twice the CPU); its two lines are kept where they cost nothing more: in the transaction
/// that already records the run's end. `JobLog.read` shows them where they belong in the log.
public struct LogMark: Sendable, Equatable {
    /// The size the job's log file had when the run ended (0: no file): the lines come before the file's
    /// byte at this offset, so they sit between the runs that wrote output before and after them.
    public var fileOffset: Int
    /// The lines, each ending in a newline.
    public var bytes: [UInt8]

    public init(fileOffset: Int, bytes: [UInt8]) {
        self.fileOffset = fileOffset
        self.bytes = bytes
    }
}
