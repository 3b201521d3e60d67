import ArgumentParser
import QueueCore
import QueueOperations

extension Config {
    /// `queuectl config get KEY`: one value, alone on its line.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Print the value of one configuration key (every key when none is given).",
            discussion: """
                The value is printed alone, as 'config set' takes it. Without a key, every key is printed
                as by 'config list' (with --json, as one JSON object).

                Example:
                  queuectl config get max_retries
                  queuectl config get
                """)

        @OptionGroup var global: GlobalOptions

        /// The key, snake_case or kebab-case; nil prints every key.
        @Argument(
            help: ArgumentHelp("The key, e.g. max_retries or max-retries (default: every key).", valueName: "key"),
            completion: .list(QueueConfig.Key.allCases.map(\.rawValue)))
        var key: String?

        /// Print every key as JSON (only without a key: a single value is printed alone).
        @Flag(help: "Without a key: print the configuration as one JSON object.") var json = false

        func validate() throws {
            if key != nil, json { throw ValidationError("--json goes with 'config get' without a key (or 'config list --json')") }
        }

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).

        func run() async throws {
            guard let key else {
                let config = try await global.withOperations(for: .read) { operations, _ in
                    try await operations.configuration()
                }
                try Config.List.print(config, json: json, to: Output())
                return
            }
            let parsedKey = try QueueConfig.Key(parsing: key)
            let value = try await global.withOperations(for: .read) { operations, _ in
                try await operations.configurationValue(of: parsedKey)
            }
            Output().line(value)
        }
    }
}
