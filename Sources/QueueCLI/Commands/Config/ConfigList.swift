import ArgumentParser
import QueueCore
import QueueFormatting
import QueueOperations

extension Config {
    /// `queuectl config list`: every key and its value.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Show every configuration key and its value.",
            discussion: """
                --json prints {"max_retries":3,"backoff_base":2,...} with numbers as numbers.

                Example:
                  queuectl config list
                  queuectl config list --json
                """)

        @OptionGroup var global: GlobalOptions

        /// Print JSON instead of lines.
        @Flag(help: "Print the configuration as one JSON object.") var json = false

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).

        func run() async throws {
            let config = try await global.withOperations(for: .read) { operations, _ in try await operations.configuration() }
            try Self.print(config, json: json, to: Output())
        }

        /// Prints every key of `config`, as a table or (with `json`) one JSON object; `config get` without
        /// a key prints the same.
        static func print(_ config: QueueConfig, json: Bool, to output: Output) throws {
            if json {
                try output.json(ConfigDocument(config: config))
                return
            }
            output.table(
                headers: ["KEY", "VALUE"],
                rows: QueueConfig.Key.allCases.map { [TableCell($0.rawValue), TableCell(config.value(of: $0))] })
        }
    }
}
