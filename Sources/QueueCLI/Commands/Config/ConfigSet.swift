import ArgumentParser
import QueueCore
import QueueOperations

extension Config {
    /// `queuectl config set KEY VALUE`: changes one value for every process using the store.
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change one configuration value (running workers pick it up without a restart).",
            discussion: """
                Example:
                  queuectl config set max-retries 5
                  queuectl config set backoff_base 1.5
                """)

        @OptionGroup var global: GlobalOptions

        /// The key, snake_case or kebab-case.
        @Argument(
            help: ArgumentHelp("The key, e.g. max_retries or max-retries.", valueName: "key"),
            completion: .list(QueueConfig.Key.allCases.map(\.rawValue)))
        var key: String

        /// The new value. Collected with `.allUnrecognized` so a negative number (`-1`) reaches the
        /// range check instead of being taken for an option.
        @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The new value.", valueName: "value"))
        var value: [String] = []

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).

        func run() async throws {
            let parsedKey = try QueueConfig.Key(parsing: key)
            guard value.count == 1, let value = value.first else {
                throw QueueError.invalidInput(
                    value.isEmpty
                        ? "missing the value: queuectl config set \(parsedKey.rawValue) VALUE"
                        : "give one value for \(parsedKey.rawValue), got \(value.count): \(value.joined(separator: " "))")
            }
            // Checked before the store opens, so a bad value touches nothing.
            let change = try ConfigChange(parsedKey, to: value)
            try await global.withOperations { operations, _ in try await operations.setConfiguration(change) }
        }
    }
}
