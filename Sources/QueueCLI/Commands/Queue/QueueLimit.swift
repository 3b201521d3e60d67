import ArgumentParser
import QueueCore
import QueueOperations

extension Queue {
    /// `queuectl queue limit Q N`.
    struct Limit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "limit",
            abstract: "Let at most N jobs of a queue run at once, over every worker and host; 0 = no limit.",
            discussion: """
                Jobs already running beyond a lowered limit finish; no new one starts until the queue is below it.

                Example:
                  queuectl queue limit reports 2
                  queuectl queue limit reports 0
                """)

        @OptionGroup var global: GlobalOptions

        /// The queue.
        @Argument(help: ArgumentHelp("The queue.", valueName: "queue")) var queue: String

        /// The limit, as typed (checked by `QueueLimit`, so every surface says the same). Collected from the
        /// unrecognised words so that a negative number (`-1`, which looks like an option) reaches that check and
        /// is refused as a limit rather than as an unknown option.
        @Argument(
            parsing: .allUnrecognized,
            help: ArgumentHelp("At most this many of its jobs processing at once; 0 = no limit.", valueName: "n"))
        var limit: [String] = []

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
        func run() async throws {
            guard JobSpec.isValidQueueName(queue) else { throw JobSpec.invalidQueueName(queue) }
            guard limit.count == 1, let text = limit.first else {
                throw QueueError.invalidInput("give one limit after the queue: queuectl queue limit QUEUE N (0 = no limit)")
            }
            let limit = try QueueLimit.parse(text)
            try await global.withOperations { operations, _ in try await operations.limitQueue(queue, to: limit) }
        }
    }
}
