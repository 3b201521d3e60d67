import ArgumentParser
import QueueCore

/// The root command. Run it through `QueueCtl.main(arguments:context:)`, which maps every error
/// to the contract's exit codes (2 for bad usage, 1 for failed operations) and one stderr line.
public struct QueueCtl: AsyncParsableCommand {
    /// The version `queuectl version` and `--version` report.
    public static let version = "0.1.0"

    /// The command tree: add a command by appending its type here.
    public static let configuration = CommandConfiguration(
        commandName: "queuectl",
        abstract: "A background job queue: enqueue shell commands, run them with workers, retry with backoff.",
        discussion: """
            Data lives in $QUEUECTL_HOME (default ~/.queuectl); --home and --db are accepted on every command.
            Exit codes: 0 success, 1 the operation failed, 2 bad usage or bad input.

            Example:
              queuectl enqueue 'echo hello'
              queuectl worker start --count 2
              queuectl status
            """,
        version: "queuectl \(version)",
        subcommands: [
            Enqueue.self,
            Status.self,
            List.self,
            Show.self,
            DLQ.self,
            Config.self,
            Worker.self, Logs.self, Wait.self, Cancel.self,
            Remove.self, Restart.self, Promote.self, Purge.self,
            Schedule.self, Queue.self,
            Version.self,
            Dashboard.self,
            Completions.self,
        ]
    )

    public init() {}
}
