import ArgumentParser
import QueueCore
import QueueOperations

/// `queuectl purge --state STATE ...`: deletes finished jobs, with their logs.
struct Purge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete finished jobs (completed, dead, cancelled) and their logs.",
        discussion: """
            Deletes the jobs in the given states whose updated_at is older than --older-than (default 0: all
            of them), in small batches so running workers are not held up, and prints how many. Only finished
            states are taken (pending, processing or failed is exit 2; use remove for single jobs).
            --older-than takes seconds (90) or 500ms, 30s, 15m, 2h, 7d. Workers also delete finished jobs by
            themselves after retention_completed, retention_cancelled and retention_dead seconds.

            Example:
              queuectl purge --state completed --older-than 7d --dry-run
              queuectl purge --state completed --state dead --queue emails
            """)

    @OptionGroup var global: GlobalOptions

    /// The states to delete from (repeatable).
    @Option(
        help: ArgumentHelp(
            "Delete jobs in this state: completed, dead or cancelled. Repeat it for several states.",
            valueName: "state"),
        completion: .list(JobState.allCases.filter(JobState.finished.contains).map(\.rawValue)))
    var state: [String] = []

    /// Only jobs last changed longer ago than this.
    @Option(
        name: .customLong("older-than"), parsing: .unconditional,
        help: ArgumentHelp(
            "Only jobs whose updated_at is older than this: seconds (90) or 500ms, 30s, 15m, 2h, 7d (default 0).",
            valueName: "duration"))
    var olderThan: String?

    /// Only jobs of these queues (repeatable).
    @Option(help: ArgumentHelp("Only jobs in this queue. Repeat it for several queues.", valueName: "queue"))
    var queue: [String] = []

    /// Count, delete nothing.
    @Flag(help: "Print how many jobs it would delete, and delete nothing.") var dryRun = false

    /// Print the ids as JSON.
    @Flag(help: "Print a JSON array of the ids deleted (with --dry-run: of the ids it would delete).")
    var json = false

    /// The selection the options describe; usage errors for no state, a state that is not finished, an
    /// invalid queue name or a bad duration.
    func selection() throws(QueueError) -> PurgeSelection {
        let seconds = try DurationValue.seconds(of: olderThan, option: "--older-than", maximum: 3_153_600_000) ?? 0
        return try PurgeSelection(parsingStates: state, queues: queue, olderThan: seconds)
    }

    /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
    func run() async throws {
        let selection = try selection()
        let context = CommandContext.current
        let ids = try await global.withOperations(for: dryRun ? .read : .command) { operations, resolver in
            dryRun
                ? try await operations.purgeable(selection)
                : try await operations.purge(selection, home: resolver.home)
        }
        let output = Output(context)
        if json {
            try output.json(ids.map(\.rawValue))
        } else {
            let jobs = ids.count == 1 ? "1 job" : "\(ids.count) jobs"
            output.line(dryRun ? "would purge \(jobs) (dry run: nothing was deleted)" : "purged \(jobs)")
        }
    }
}
