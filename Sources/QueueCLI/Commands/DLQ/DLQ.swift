import ArgumentParser

/// `queuectl dlq`: the dead letter queue (jobs that failed `1 + max_retries` times).
struct DLQ: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "Inspect and retry dead jobs (the dead letter queue).",
        discussion: """
            A job lands here after failing 1 + max_retries times.

            Example:
              queuectl dlq list
              queuectl dlq retry job1
              queuectl dlq retry --all
            """,
        subcommands: [DLQ.List.self, DLQ.Retry.self])
}
