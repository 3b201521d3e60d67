import ArgumentParser
import QueueCore

/// `queuectl config`: the queue's tunables, shared by every process using the store.
struct Config: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show or change the queue's configuration.",
        discussion: """
            Keys (snake_case; kebab-case is accepted too):
            \(QueueConfig.Key.allCases.map { "  \($0.rawValue): \($0.summary)" }.joined(separator: "\n"))

            Example:
              queuectl config list
              queuectl config set max-retries 5
              queuectl config get backoff_base
            """,
        subcommands: [Config.List.self, Config.Get.self, Config.Set.self])
}
