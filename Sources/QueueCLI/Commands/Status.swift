import ArgumentParser
import QueueCore
import QueueFormatting
import QueueOperations

/// `queuectl status`: how many jobs are in each state, and how many workers are alive.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the number of jobs in each state and of active workers.",
        discussion: """
            --json prints {"pending":0,"processing":0,"completed":0,"failed":0,"dead":0,"cancelled":0,"workers":0}.

            Example:
              queuectl status
              queuectl status --json
            """)

    @OptionGroup var global: GlobalOptions

    /// Print JSON instead of a table.
    @Flag(help: "Print the counts as one JSON object.") var json = false

    /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).

    func run() async throws {
        let context = CommandContext.current
        let counts = try await global.withOperations(for: .read) { operations, _ in try await operations.counts() }
        let output = Output(context)
        if json {
            try output.json(StatusDocument(counts: counts))
            return
        }
        var rows = JobState.allCases.map { state in [output.styled(state), TableCell(String(counts[state]))] }
        rows.append([TableCell("workers"), TableCell(String(counts.workers))])
        output.table(headers: ["STATE", "COUNT"], rows: rows)
    }
}
