import ArgumentParser
import Logging
import QueueCore
import QueueWorker

extension Worker {
    /// `queuectl worker run`: workers in the foreground.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run workers in the foreground until SIGTERM or SIGINT.",
            discussion: """
                The same workers as 'worker start', without detaching (for systemd, containers,
                debugging). SIGTERM or SIGINT stop it gracefully: no new job is taken, running jobs
                finish, then it exits 0.

                Example:
                  queuectl worker run --count 2
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: WorkerOptions

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
        func run() async throws {
            let context = CommandContext.current
            try await global.withStore(for: .worker) { store, resolver in
                var logger = Logger(label: "queuectl.worker")
                logger.logLevel = .notice
                var settings = WorkerSettings.forCurrentProcess(count: options.count, queues: options.queues)
                settings.pollIntervalMilliseconds = options.pollInterval
                settings.jobTimeout = try options.jobTimeoutSeconds()
                let daemon = WorkerDaemon(
                    store: store, home: resolver.home, settings: settings, clock: context.clock, logger: logger,
                    jobEnvironment: try resolver.jobEnvironment(base: context.environment))
                try await daemon.run()
            }
        }
    }
}
