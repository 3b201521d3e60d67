import ArgumentParser

/// `queuectl schedule`: recurring jobs, enqueued by whichever worker is running.
struct Schedule: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Add, list or remove recurring jobs (cron or a fixed interval).",
        discussion: """
            A running worker (any one, on any host) enqueues one job per due tick, with the id
            NAME.YYYYMMDDTHHMMSSZ (the tick in UTC). After downtime only the latest missed tick is enqueued.

            Example:
              queuectl schedule add nightly --cron '30 2 * * *' --tz Europe/Berlin --command 'backup.sh'
              queuectl schedule add poll --every 5m --command 'poll.sh' --queue io
              queuectl schedule list
              queuectl schedule remove poll
            """,
        subcommands: [Schedule.Add.self, Schedule.List.self, Schedule.Remove.self])
}
