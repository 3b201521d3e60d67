import ArgumentParser
import QueueCore
import QueueOperations

extension Queue {
    /// `queuectl queue pause Q ... | --all`.
    struct Pause: QueuePauseCommand {
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
        @OptionGroup var queues: QueueSelectionOptions

        /// It pauses.
        static let pauses = true
    }
}
