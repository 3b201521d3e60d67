import ArgumentParser
import QueueCore

/// `queuectl restart ID ...`: finished jobs back to pending, from scratch.
struct Restart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart",
        abstract: "Run finished jobs again: back to pending with attempts 0, due now.",
        discussion: """
            Takes completed and dead jobs (and cancelled ones). attempts and snoozes start again at 0; the
            log keeps the earlier runs, and exit_code and last_error stay until the next run ends. All or
            nothing: if an id is unknown or its job is not finished, it exits 1 naming that id and changes
            nothing. Prints the id of each job restarted (--json: the job objects). Ids may be unique
            prefixes of 4 characters or more.

            Example:
              queuectl restart job1 job2
            """)

    @OptionGroup var global: GlobalOptions

    /// The jobs to restart.
    @Argument(help: "The job ids, or unique prefixes of them (4 characters or more).", completion: .jobIDs)
    var ids: [String] = []

    /// Print JSON instead of one id a line.
    @Flag(help: "Print a JSON array of the restarted job objects.") var json = false

    /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
    func run() async throws {
        try await JobActionInvocation(action: .restart, ids: ids, json: json, global: global).run()
    }
}
