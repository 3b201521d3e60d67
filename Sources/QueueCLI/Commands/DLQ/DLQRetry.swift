import ArgumentParser
import QueueCore
import QueueOperations

extension DLQ {
    /// `queuectl dlq retry`: dead jobs back to pending with attempts 0.
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry",
            abstract: "Move dead jobs back to pending with attempts 0.",
            discussion: """
                Prints the id of each job moved. If an ID is unknown or not dead, it exits 1 and moves nothing.

                Example:
                  queuectl dlq retry job1 job2
                  queuectl dlq retry --all
                """)

        @OptionGroup var global: GlobalOptions

        /// The jobs to retry.
        @Argument(help: ArgumentHelp("The dead jobs to retry (ids, or unique prefixes of 4 characters or more).", valueName: "id"), completion: .jobIDs)
        var ids: [String] = []

        /// Retry every dead job.
        @Flag(help: "Retry every dead job.") var all = false

        /// The selection the arguments describe; a usage error for neither or both of IDs and --all.
        func selection() throws(QueueError) -> DeadJobSelection {
            if all {
                guard ids.isEmpty else { throw .invalidInput("give job ids or --all, not both") }
                return .all
            }
            guard !ids.isEmpty else { throw .invalidInput("give the ids of the dead jobs to retry, or --all") }
            var jobIDs: [JobID] = []
            for id in ids { jobIDs.append(try JobID(id)) }
            return .jobs(jobIDs)
        }

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).

        func run() async throws {
            let selection = try selection()
            let context = CommandContext.current
            let moved = try await global.withOperations { operations, _ in try await operations.retryDeadJobs(selection) }
            Output(context).lines(moved.map(\.rawValue))
        }
    }
}
