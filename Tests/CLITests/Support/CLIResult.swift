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

    /// stderr split into lines, without the trailing empty one.
    var errorLines: [String] {
        stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    var description: String { "status \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}
