import ArgumentParser
import QueueCore

/// `queuectl promote ID ...`: waiting jobs due now.
struct Promote: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Make pending or failed jobs due now, instead of at their run_at.",
        discussion: """
            Takes pending and failed jobs, even ones already due (they keep their place). All or nothing: if
            an id is unknown or its job is in another state, it exits 1 naming that id and changes nothing.
            Prints the id of each job promoted (--json: the job objects). Ids may be unique prefixes of 4
            characters or more.

            Example:
              queuectl enqueue --id report --delay 1h 'make report'
              queuectl promote report
            """)

    @OptionGroup var global: GlobalOptions

    /// The jobs to promote.
    @Argument(help: "The job ids, or unique prefixes of them (4 characters or more).", completion: .jobIDs)
    var ids: [String] = []

    /// Print JSON instead of one id a line.
    @Flag(help: "Print a JSON array of the promoted job objects.") var json = false

    /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
    func run() async throws {
        try await JobActionInvocation(action: .promote, ids: ids, json: json, global: global).run()
    }
}
