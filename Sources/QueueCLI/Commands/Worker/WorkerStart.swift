import ArgumentParser
import Foundation
import QueueCore
import QueueWorker

extension Worker {
    /// `queuectl worker start`: workers in a detached background process.
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Start workers in the background.",
            discussion: """
                Re-runs queuectl as a detached daemon ('worker run' in its own session, output in
                <home>/workers/daemon-<pid>.log) and returns once its workers are registered, printing
                their ids. The workers keep running after the shell exits. Calling it again adds workers.

                Example:
                  queuectl worker start --count 4
                  queuectl worker start --queue emails --queue reports
                  queuectl worker start --poll-interval 100 --timeout 15m
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: WorkerOptions

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
        func run() async throws {
            let context = CommandContext.current
            let resolver = try global.resolver(context)
            var arguments = ["worker", "run", "--count", String(options.count), "--home", resolver.home.root.path]
            for queue in options.queues { arguments += ["--queue", queue] }
            if let pollInterval = options.pollInterval { arguments += ["--poll-interval", String(pollInterval)] }
            if let timeout = try options.jobTimeoutSeconds() { arguments += ["--timeout", String(timeout)] }
            // The store goes to the daemon in its environment, never in its argv: every user can read a
            // process's arguments (`ps`, /proc/<pid>/cmdline). The daemon gets the environment its jobs get:
            // a PostgreSQL password travels in a private file, not in the environment every job inherits.
            let environment = try resolver.jobEnvironment(base: context.environment)
            let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0]
            let started = try await resolver.withStore { store in
                do {
                    return try await WorkerSupervisor(store: store, home: resolver.home).startDaemon(
                        executable: executable, arguments: arguments, environment: environment, count: options.count)
                } catch let failure as WorkerSupervisor.Failure {
                    throw QueueError.operationFailed(failure.description)
                }
            }
            Output(context).lines(started.workerIDs)
        }
    }
}
