#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import QueueFormatting

/// What the process knows about the terminal it writes to.
public struct Terminal: Sendable, Equatable {
    /// Whether stdout is a terminal (colour and width only apply then).
    public var isInteractive: Bool
    /// Columns available for a line of output.
    public var columns: Int

    /// Columns assumed when stdout is not a terminal and `COLUMNS` is unset.
    public static let defaultColumns = TextTable.defaultWidth

    public init(isInteractive: Bool, columns: Int) {
        self.isInteractive = isInteractive
        self.columns = columns
    }

    /// Probes stdout: a terminal's own width, else `COLUMNS`, else 100.
    public static func probe(environment: [String: String]) -> Terminal {
        let interactive = isatty(STDOUT_FILENO) == 1
        var columns = environment["COLUMNS"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } ?? defaultColumns
        if interactive {
            var size = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
                columns = Int(size.ws_col)
            }
        }
        return Terminal(isInteractive: interactive, columns: columns)
    }
}
