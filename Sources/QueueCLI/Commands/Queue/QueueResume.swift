import ArgumentParser
import QueueCore
import QueueOperations

extension Queue {
    /// `queuectl queue resume Q ... | --all`.
    struct Resume: QueuePauseCommand {
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

        /// It resumes.
        static let pauses = false
    }
}
