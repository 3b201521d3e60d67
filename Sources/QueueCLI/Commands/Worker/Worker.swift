import ArgumentParser

/// `queuectl worker`: start, run, stop and list the workers that run jobs.
struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Start, run, stop and list workers.",
        discussion: """
            Workers claim due jobs, run them with /bin/sh -c, retry failures with backoff and move
            jobs that failed 1 + max_retries times to the dead letter queue.

            Example:
              queuectl worker start --count 2
              queuectl worker list
              queuectl worker stop
            """,
        subcommands: [Worker.Start.self, Worker.Run.self, Worker.Stop.self, Worker.List.self])

    /// The largest `--count` accepted in one call.
    static let maximumCount = 256
}
