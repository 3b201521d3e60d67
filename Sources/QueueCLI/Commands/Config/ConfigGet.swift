import ArgumentParser
import QueueCore

extension Config {
    /// `queuectl config get KEY`: one value, alone on its line.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Print the value of one configuration key.",
            discussion: """
                Example:
                  queuectl config get max_retries
                """)

        @OptionGroup var global: GlobalOptions

        /// The key, snake_case or kebab-case.
        @Argument(help: ArgumentHelp("The key, e.g. max_retries or max-retries.", valueName: "key")) var key: String

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).

        func run() async throws {
            let parsedKey = try QueueConfig.Key(parsing: key)
            let config = try await global.withStore(for: .read) { store, _ in try await store.configuration() }
            Output().line(config.value(of: parsedKey))
        }
    }
}
