import ArgumentParser
import QueueCore
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

        /// Seconds to let running jobs finish before killing them.
        @Option(help: ArgumentHelp("Kill jobs still running after this many seconds and put them back.", valueName: "seconds"))
        var timeout: Double?

        /// Stop the workers of every host that shares the store, not only this one.
        @Flag(name: .customLong("all-hosts"), help: "Stop the workers of every host that shares the store.")
        var allHosts = false

        func validate() throws {
            if let timeout, !(timeout >= 0 && timeout <= 31_536_000) {
                throw ValidationError("--timeout must be a number of seconds from 0 to 31536000")
            }
        }

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
        func run() async throws {
            let context = CommandContext.current
            let output = Output(context)
            let stopped: Int
            do {
                stopped = try await global.withStore { store, resolver in
                    allHosts
                        ? try await WorkerSupervisor.stopWorkersOnAllHosts(
                            store: store, home: resolver.home, hostID: WorkerHost.identity, timeout: timeout)
                        : try await WorkerSupervisor.stopWorkers(
                            store: store, home: resolver.home, hostID: WorkerHost.identity, timeout: timeout)
                }
            } catch QueueError.storeUnavailable(let reason) {
                // The daemons of this data directory can still be stopped by signal.
                output.warning("\(reason); stopping this data directory's workers by signal")
                stopped = try await WorkerSupervisor.stopDaemonsBySignal(home: try global.resolver(context).home, timeout: timeout)
            }
            output.line(
                stopped == 0 ? "no workers running" : "stopped \(stopped) worker process\(stopped == 1 ? "" : "es")")
        }
    }
}
