import ArgumentParser
import QueueCore
import QueueOperations
import QueueWorker

extension Worker {
    /// `queuectl worker stop`: a graceful stop of this host's workers.
    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stop",
            abstract: "Stop the workers gracefully and wait until they have exited.",
            discussion: """
                Workers take no new job, finish the ones they run, deregister and exit; this returns
                when every worker of this host has exited (at once when none runs). With --timeout,
                jobs still running after that many seconds are killed and put back as pending (the
                interrupted run does not count as an attempt). When the store cannot be reached, the
                workers of this data directory are stopped by signal (SIGTERM; with --timeout, SIGKILL
                after that long, and their jobs are recovered once the store is back).

                With --all-hosts (a PostgreSQL store shared by several hosts), the workers of every
                host are asked to stop through the database, and this returns when none runs anywhere.

                Example:
                  queuectl worker stop
                  queuectl worker stop --timeout 30
                  queuectl worker stop --all-hosts
                """)

        @OptionGroup var global: GlobalOptions

        /// How long to let running jobs finish before killing them.
        @Option(
            parsing: .unconditional,
            help: ArgumentHelp(
                "Kill jobs still running after this long and put them back: seconds (90) or 500ms, 30s, 15m, 2h, 7d.",
                valueName: "duration"))
        var timeout: String?

        /// Stop the workers of every host that shares the store, not only this one.
        @Flag(name: .customLong("all-hosts"), help: "Stop the workers of every host that shares the store.")
        var allHosts = false

        /// `--timeout` in seconds.
        private func timeoutSeconds() throws(QueueError) -> Double? {
            try DurationValue.seconds(of: timeout, option: "--timeout", maximum: 31_536_000)
        }

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
        func run() async throws {
            let context = CommandContext.current
            let output = Output(context)
            let timeout = try timeoutSeconds()
            let stopped: Int
            do {
                let given = self.timeout
                let waiting: @Sendable ([JobID]) -> Void = { jobs in
                    // Workers that run nothing are only exiting: nothing to explain.
                    if !jobs.isEmpty { Self.note(Self.waitingNote(jobs: jobs, timeout: given), context: context) }
                }
                stopped = try await global.withOperations { operations, resolver in
                    try await operations.stopWorkers(
                        allHosts ? .allHosts : .thisHost, home: resolver.home, timeout: timeout, waiting: waiting)
                }
            } catch QueueError.storeUnavailable(let reason) {
                // The daemons of this data directory can still be stopped by signal.
                output.warning("\(reason); stopping this data directory's workers by signal")
                stopped = try await WorkerSupervisor.stopDaemonsBySignal(home: try global.resolver(context).home, timeout: timeout)
            }
            output.line(
                stopped == 0 ? "no workers running" : "stopped \(stopped) worker process\(stopped == 1 ? "" : "es")")
        }

        /// The line that says what a stop that takes more than a second waits for: the jobs still running,
        /// and what `--timeout` does (or will do).
        static func waitingNote(jobs: [JobID], timeout given: String?) -> String {
            let list = jobs.prefix(5).map { "'\($0)'" }.joined(separator: ", ") + (jobs.count > 5 ? " and \(jobs.count - 5) more" : "")
            let what = "waiting for \(jobs.count == 1 ? "job" : "jobs") \(list) to finish"
            if let given { return "\(what); they are killed and put back after --timeout \(given)" }
            return "\(what) (with --timeout DURATION they are killed and put back as pending after that long)"
        }

        /// Writes one note line to stderr.
        private static func note(_ text: String, context: CommandContext) {
            context.standardError.write(QueueCtl.errorPrefix + QueueCtl.stderrText("note: " + text) + "\n")
        }
    }
}
