import Foundation
import QueueTestSupport

/// A `queuectl` a test started as a user's terminal would (its own process, this test's home and store, output
/// discarded), to signal and to wait for.
struct ForegroundRun {
    /// The running binary.
    let process: Process
    /// Finishes when the process exits.
    private let exited: AsyncStream<Void>

    fileprivate init(process: Process, exited: AsyncStream<Void>) {
        self.process = process
        self.exited = exited
    }

    /// Returns once the process has exited.
    func exit() async {
        for await _ in exited {}
    }
}

extension CLI {
    /// Starts `queuectl arguments…` on this test's home and store; `environment` adds or replaces variables.
    func startForeground(_ arguments: [String], environment extra: [String: String] = [:]) throws -> ForegroundRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("QUEUECTL_") }
        environment["QUEUECTL_HOME"] = home
        environment["QUEUECTL_DB"] = databaseURL
        for (name, value) in extra { environment[name] = value }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let exited = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in exited.continuation.finish() }
        try process.run()
        return ForegroundRun(process: process, exited: exited.stream)
    }
}
