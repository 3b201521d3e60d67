import Foundation
import QueueCLI
import QueueCLIServer
import QueueCore
import QueueTestSupport
import Synchronization

/// Runs `QueueCtl.main` in this process with a fake terminal, environment and clock, capturing what it
/// prints, so decisions that depend on the terminal (colour) or the time (relative times) can be tested.
final class InProcessCLI: Sendable {
    /// The test's scratch directory; the data directory is `home` inside it.
    let directory: TempDirectory
    /// The clock the commands read.
    let clock: ManualTimeSource

    /// A fresh directory and a clock standing at 2027-01-15T08:00:00Z.
    init() throws {
        directory = try TempDirectory(prefix: "queuectl-inprocess")
        clock = ManualTimeSource()
    }

    /// What one command printed.
    struct Result {
        /// The exit status `QueueCtl.main` returned.
        var status: Int32
        /// Everything written to stdout.
        var stdout: String
        /// Everything written to stderr.
        var stderr: String
    }

    /// Runs `queuectl arguments…` on a terminal that `interactive` says is (or is not) one, with
    /// `environment` added to a data directory of its own.
    func run(
        _ arguments: [String], interactive: Bool = false, columns: Int = 100, environment: [String: String] = [:]
    ) async -> Result {
        let stdout = Mutex("")
        let stderr = Mutex("")
        var variables = ["QUEUECTL_HOME": directory.file("home"), "HOME": directory.path]
        variables.merge(environment) { _, new in new }
        let context = CommandContext(
            environment: variables,
            standardOutput: TextSink { text in stdout.withLock { $0 += text } },
            standardError: TextSink { text in stderr.withLock { $0 += text } },
            readStandardInput: { Data() },
            terminal: Terminal(isInteractive: interactive, columns: columns), clock: clock,
            serverHalf: LinkedServerHalf())
        let status = await QueueCtl.main(arguments: arguments, context: context)
        return Result(status: status, stdout: stdout.withLock { $0 }, stderr: stderr.withLock { $0 })
    }
}
