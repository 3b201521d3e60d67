import ArgumentParser
import QueueCore
import QueueOperations

extension Schedule {
    /// `queuectl schedule remove NAME`: no more ticks; the jobs it enqueued stay.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a schedule (the jobs it already enqueued stay).",
            discussion: """
                Example:
                  queuectl schedule remove nightly
                """)

        @OptionGroup var global: GlobalOptions

        /// The schedule's name.
        @Argument(help: ArgumentHelp("The schedule's name.", valueName: "name")) var name: String

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
        func run() async throws {
            let scheduleName = try ScheduleName(name)
            try await global.withOperations { operations, _ in try await operations.removeSchedule(named: scheduleName) }
        }
    }
}
