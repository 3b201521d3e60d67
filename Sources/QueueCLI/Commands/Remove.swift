import ArgumentParser
import QueueCore

/// `queuectl remove ID ...`: deletes jobs and their logs, in any state but processing.
struct Remove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Delete jobs and their logs, in any state but processing.",
        discussion: """
            All or nothing: if an id is unknown or its job is processing, it exits 1 naming that id and
            deletes nothing. Prints the id of each job deleted (--json: a JSON array of the ids). Ids may be
            unique prefixes of 4 characters or more.

            Example:
              queuectl remove job1 job2
              queuectl purge --state completed --older-than 7d   # many finished jobs at once
            """)

    @OptionGroup var global: GlobalOptions

    /// The jobs to delete.
    @Argument(help: "The job ids, or unique prefixes of them (4 characters or more).", completion: .jobIDs)
    var ids: [String] = []

    /// Print JSON instead of one id a line.
    @Flag(help: "Print a JSON array of the ids deleted.") var json = false

    /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
    func run() async throws {
        try await JobActionInvocation(action: .remove, ids: ids, json: json, global: global).run()
    }
}
