import ArgumentParser
import Foundation
import QueueCore
import QueueFormatting
import QueueOperations

extension Schedule {
    /// `queuectl schedule list [--json]`: every schedule with its next and last run.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the schedules: name, spec, command, next run, last run and last job.",
            discussion: """
                --json prints an array of {"name","cron","every","command","queue","priority","timeout",
                "max_retries","tz","next_run_at","last_run_at","last_job"} (every in seconds; times in UTC).

                Example:
                  queuectl schedule list
                  queuectl schedule list --json
                """)

        @OptionGroup var global: GlobalOptions

        /// Print JSON instead of a table.
        @Flag(help: "Print a JSON array of schedule objects.") var json = false

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
        func run() async throws {
            let context = CommandContext.current
            let documents = try await global.withOperations(for: .read) { operations, _ in
                try await operations.schedules()
            }
            let output = Output(context)
            if json {
                try output.json(documents)
                return
            }
            guard !documents.isEmpty else {
                output.line("no schedules")
                return
            }
            // Names are never cut (people copy them into `schedule remove`); the command gives way first. Times
            // are UTC instants as the JSON writes them: a next run days away is not well told by "in 2d".
            let columns = [
                TableColumn("NAME", keepsWhole: true), TableColumn("SPEC", cap: 24, minimum: 9),
                TableColumn("NEXT RUN"), TableColumn("LAST RUN"), TableColumn("LAST JOB", cap: 32, minimum: 8),
                TableColumn("COMMAND", minimum: 7),
            ]
            let rows = documents.map { document in
                let schedule = document.schedule
                return [
                    TableCell(schedule.name.rawValue), TableCell(schedule.spec.summary),
                    TableCell(Timestamp.format(document.nextRunAt)),
                    TableCell(schedule.lastTick.map(Timestamp.format) ?? "-"),
                    TableCell(schedule.lastJob?.rawValue ?? "-"), TableCell(schedule.job.command),
                ]
            }
            output.table(columns, rows: rows)
        }
    }
}
