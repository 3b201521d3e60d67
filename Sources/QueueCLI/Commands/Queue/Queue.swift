import ArgumentParser

/// `queuectl queue`: list queues, pause and resume them, limit how many of their jobs run at once.
struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "List queues, pause or resume them, or limit how many of their jobs run at once.",
        discussion: """
            Pauses and limits are stored with the jobs: they hold across restarts and for every worker on
            every host sharing the store.

            Example:
              queuectl queue list
              queuectl queue pause emails
              queuectl queue limit reports 2
              queuectl queue resume --all
            """,
        subcommands: [Queue.List.self, Queue.Pause.self, Queue.Resume.self, Queue.Limit.self])
}
