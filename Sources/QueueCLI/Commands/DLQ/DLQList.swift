import ArgumentParser
import QueueCore
import QueueOperations

extension DLQ {
    /// `queuectl dlq list`: the dead jobs.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the dead jobs.",
            discussion: """
                Example:
                  queuectl dlq list
                  queuectl dlq list --json
                """)

        @OptionGroup var global: GlobalOptions

        /// Print JSON instead of a table.
        @Flag(help: "Print a JSON array of job objects.") var json = false

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).

        func run() async throws {
            let context = CommandContext.current
            let (jobs, home) = try await global.withOperations(for: .read) { operations, resolver in
                (try await operations.deadJobs(), resolver.home)
            }
            let output = Output(context)
            if json {
                try output.json(output.documents(jobs, home: home))
            } else {
                JobTable(output: output, now: context.clock.now()).print(jobs, lastError: true, empty: "no dead jobs")
            }
        }
    }
}
