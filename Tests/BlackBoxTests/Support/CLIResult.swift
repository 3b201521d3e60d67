/// What one run of the `queuectl` binary produced.
struct CLIResult: Sendable, CustomStringConvertible {
    /// Everything written to stdout.
    var stdout: String
    /// Everything written to stderr.
    var stderr: String
    /// The exit status (or 128 + signal when killed by one).
    var status: Int32

    /// stdout split into lines, without the trailing empty one.
    var lines: [String] {
        stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    /// stderr split into lines, without the empty one after the final newline. Empty lines count, so
    /// "exactly one line" means stderr is exactly `text\n`.
    var errorLines: [String] {
        var lines = stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    var description: String { "status \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}
