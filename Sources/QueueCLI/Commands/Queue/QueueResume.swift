import ArgumentParser
import QueueCore
import QueueOperations

extension Queue {
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
        @OptionGroup var queues: QueueSelectionOptions

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
        func run() async throws {
            let selection = try queues.selection()
            let resumed = try await global.withOperations { operations, _ in try await operations.resumeQueues(selection) }
            Output(CommandContext.current).lines(resumed)
        }
    }
}
