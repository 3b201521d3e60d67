import Foundation
import QueueCore

/// Everything a command reads from or writes to its process: environment, stdin, stdout, stderr,
/// terminal, clock, and the server half the executable has (linked, or the sibling `queuectl-server`). The entry point installs one per invocation, so the commands can run
/// in-process with captured output and a fake environment.
public struct CommandContext: Sendable {
    /// Environment variables (`QUEUECTL_HOME`, `QUEUECTL_DB`, `NO_COLOR`, `HOME`, …).
    public var environment: [String: String]
    /// Normal output.
    public var standardOutput: TextSink
    /// Errors and warnings.
    public var standardError: TextSink
    /// Reads all of stdin (for `enqueue -`), up to `BoundedInput.batchLimit`.
    public var readStandardInput: @Sendable () throws -> Data
    /// The terminal stdout is attached to, if any.
    public var terminal: Terminal
    /// The clock commands stamp operations with.
    public var clock: any TimeSource
    /// The PostgreSQL store and the dashboard (see `ServerHalf`).
    public var serverHalf: any ServerHalf

    /// A context of these parts.
    public init(
        environment: [String: String], standardOutput: TextSink, standardError: TextSink,
        readStandardInput: @escaping @Sendable () throws -> Data, terminal: Terminal, clock: any TimeSource,
        serverHalf: any ServerHalf
    ) {
        self.environment = environment
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.readStandardInput = readStandardInput
        self.terminal = terminal
        self.clock = clock
        self.serverHalf = serverHalf
    }

    /// The real process: its environment, file descriptors 0–2, the system clock and `serverHalf`.
    public static func process(serverHalf: any ServerHalf) -> CommandContext {
        let environment = ProcessInfo.processInfo.environment
        return CommandContext(
            environment: environment, standardOutput: .standardOutput, standardError: .standardError,
            readStandardInput: { try BoundedInput.contents(of: STDIN_FILENO) },
            terminal: Terminal.probe(environment: environment), clock: SystemTimeSource(),
            serverHalf: serverHalf)
    }

    /// Whether human output may use colour: stdout is a terminal and `NO_COLOR` is unset (an empty
    /// `NO_COLOR` counts as unset, as https://no-color.org says).
    public var usesColor: Bool {
        terminal.isInteractive && (environment["NO_COLOR"] ?? "").isEmpty
    }

    /// The context of the running command (`QueueCtl.main` installs it; the default is the lean executable's).
    @TaskLocal public static var current: CommandContext = .process(serverHalf: SiblingServerHalf())
}
