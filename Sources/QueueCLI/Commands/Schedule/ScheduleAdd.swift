import ArgumentParser
import QueueCore
import QueueOperations

extension Schedule {
    /// `queuectl schedule add NAME (--cron 'EXPR' | --every DURATION) --command CMD [...]`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a schedule: a job enqueued at every tick of a cron expression or interval.",
            discussion: """
                --cron takes five fields (minute hour day-of-month month day-of-week: *, lists, ranges, steps,
                JAN-DEC, SUN-SAT) or @hourly, @daily, @weekly, @monthly, @yearly, read in --tz (an IANA name,
                default UTC). A local time that daylight saving skips runs at the change; one it repeats runs once.
                --every ticks on whole multiples of the interval since 1970 (--every 15m: :00, :15, :30, :45 UTC).

                Example:
                  queuectl schedule add nightly --cron '30 2 * * MON-FRI' --tz Europe/Berlin --command 'backup.sh'
                  queuectl schedule add heartbeat --every 30s --command 'ping.sh' --priority 5
                """)

        @OptionGroup var global: GlobalOptions

        /// The schedule's name.
        @Argument(
            help: ArgumentHelp(
                "The schedule's name (1-111 of A-Z a-z 0-9 . _ -); its jobs are NAME.YYYYMMDDTHHMMSSZ.", valueName: "name"))
        var name: String

        /// A cron expression.
        @Option(help: ArgumentHelp("When to run: five cron fields or @hourly, @daily, ….", valueName: "expr"))
        var cron: String?

        /// A fixed interval.
        @Option(
            parsing: .unconditional,
            help: ArgumentHelp("When to run: every this long, in whole seconds (90) or 30s, 15m, 2h, 1d.", valueName: "duration"))
        var every: String?

        /// The command every tick runs.
        @Option(help: ArgumentHelp("The shell command each job runs (/bin/sh -c).", valueName: "command"))
        var command: String

        /// The jobs' queue.
        @Option(help: ArgumentHelp("The jobs' queue (default: default).", valueName: "queue")) var queue: String?

        /// The jobs' priority.
        @Option(parsing: .unconditional, help: ArgumentHelp("The jobs' priority; higher runs first (default 0).", valueName: "n"))
        var priority: Int = 0

        /// How long a run may take.
        @Option(
            parsing: .unconditional,
            help: ArgumentHelp(
                "How long a run may take, in whole seconds (90) or 30s, 15m, 2h; 0 = no limit (default: config job_timeout).",
                valueName: "duration"))
        var timeout: String?

        /// Retries after a job's first run.
        @Option(
            name: .customLong("max-retries"), parsing: .unconditional,
            help: ArgumentHelp("Retries after each job's first run (default: config max_retries).", valueName: "n"))
        var maxRetries: Int?

        /// The zone cron times are read in.
        @Option(help: ArgumentHelp("The IANA time zone of --cron times (default UTC).", valueName: "zone"))
        var tz: String?

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
        func run() async throws {
            let context = CommandContext.current
            let timeoutSeconds = try DurationValue.seconds(
                of: timeout, option: "--timeout", maximum: Double(JobSpec.maximumTimeout), wholeSeconds: true)
            let job = try JobSpec(
                command: command, maxRetries: maxRetries, priority: priority, timeout: timeoutSeconds.map { Int($0) },
                queue: queue)
            // Everything is checked before the store opens: bad input changes nothing.
            let request = ScheduleRequest(name: name, cron: cron, every: every, timeZone: tz, job: job)
            let schedule = try Operations.schedule(request, addedAt: context.clock.now())
            try await global.withOperations { operations, _ in _ = try await operations.addSchedule(schedule) }
            Output(context).line(schedule.name.rawValue)
        }
    }
}
