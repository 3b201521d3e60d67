import ArgumentParser
import Foundation
import QueueCore
import QueueOperations

/// `queuectl list`: jobs in enqueue order, optionally filtered and paged.
struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List jobs in enqueue order.",
        discussion: """
            TIME is when a pending or failed job is due, else when the job last changed.

            Example:
              queuectl list --state failed
              queuectl list --state dead --state failed --queue emails
              queuectl list --queue emails --limit 20 --json
            """)

    @OptionGroup var global: GlobalOptions

    /// Only jobs in one of these states (repeatable).
    @Option(
        help: ArgumentHelp(
            "Only jobs in this state: pending, processing, completed, failed, dead or cancelled. Repeat it for several states.",
            valueName: "state"),
        completion: .list(JobState.allCases.map(\.rawValue)))
    var state: [String] = []

    /// Only jobs in one of these queues (repeatable).
    @Option(help: ArgumentHelp("Only jobs in this queue. Repeat it for several queues.", valueName: "queue"))
    var queue: [String] = []

    /// At most this many jobs.
    @Option(parsing: .unconditional, help: ArgumentHelp("Show at most this many jobs.", valueName: "n")) var limit: Int?

    /// Skip this many jobs first.
    @Option(parsing: .unconditional, help: ArgumentHelp("Skip this many jobs first.", valueName: "n")) var offset: Int = 0

    /// Print JSON instead of a table.
    @Flag(help: "Print a JSON array of job objects.") var json = false

    /// The filter the options describe (a job in any of the states AND any of the queues); throws a usage
    /// error for an unknown state, an invalid queue name or a negative number.
    func filter() throws(QueueError) -> JobFilter {
        if let limit, limit < 0 { throw .invalidInput("--limit must be 0 or more, got \(limit)") }
        guard offset >= 0 else { throw .invalidInput("--offset must be 0 or more, got \(offset)") }
        return try JobFilter(parsingStates: state, queues: queue, limit: limit, offset: offset)
    }

    /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).

    func run() async throws {
        let filter = try filter()
        let context = CommandContext.current
        let (jobs, home) = try await global.withOperations(for: .read) { operations, resolver in
            (try await operations.jobs(filter), resolver.home)
        }
        let output = Output(context)
        if json {
            try output.json(output.documents(jobs, home: home))
        } else {
            JobTable(output: output, now: context.clock.now()).print(jobs, empty: "no jobs")
        }
    }
}
