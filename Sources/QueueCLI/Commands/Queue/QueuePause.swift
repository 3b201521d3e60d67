import ArgumentParser
import QueueCore
import QueueOperations

extension Queue {
    /// `queuectl queue pause Q ... | --all`.
    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pause",
            abstract: "Pause queues: workers claim nothing more from them; running jobs finish, enqueue still works.",
            discussion: """
                The pause lasts until `queue resume`, across restarts and for every host. --all pauses the
                queues that exist now; a named queue without jobs yet stays paused for its first jobs.
                Prints each queue paused.

                Example:
                  queuectl queue pause emails reports
                  queuectl queue pause --all
                """)

        @OptionGroup var global: GlobalOptions

        /// The queues to pause.
        @Argument(help: ArgumentHelp("The queues to pause.", valueName: "queue")) var queues: [String] = []

        /// Every queue instead.
        @Flag(help: "Pause every queue that exists now.") var all = false

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
        func run() async throws {
            let selection = try QueueSelection.parse(names: queues, all: all)
            let paused = try await global.withOperations { operations, _ in try await operations.pauseQueues(selection) }
            Output(CommandContext.current).lines(paused)
        }
    }

    /// `queuectl queue resume Q ... | --all`.
    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resume",
            abstract: "Resume paused queues: workers claim their jobs again.",
            discussion: """
                Prints each queue resumed.

                Example:
                  queuectl queue resume emails
                  queuectl queue resume --all
                """)

        @OptionGroup var global: GlobalOptions

        /// The queues to resume.
        @Argument(help: ArgumentHelp("The queues to resume.", valueName: "queue")) var queues: [String] = []

        /// Every queue instead.
        @Flag(help: "Resume every queue that exists now.") var all = false

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
        func run() async throws {
            let selection = try QueueSelection.parse(names: queues, all: all)
            let resumed = try await global.withOperations { operations, _ in try await operations.resumeQueues(selection) }
            Output(CommandContext.current).lines(resumed)
        }
    }
}
