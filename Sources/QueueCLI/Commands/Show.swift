import ArgumentParser
import Foundation
import QueueCore

/// `queuectl show ID`: every field of one job.
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show every field of one job.",
        discussion: """
            An unknown id exits 1.

            Example:
              queuectl show job1
              queuectl show job1 --json
            """)

    @OptionGroup var global: GlobalOptions

    /// The job to show.
    @Argument(help: "The job id.") var id: String

    /// Print JSON instead of `key: value` lines.
    @Flag(help: "Print the job as a JSON object.") var json = false

    /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).

    func run() async throws {
        let jobID = try JobID(id)
        let context = CommandContext.current
        let (job, home) = try await global.withStore(for: .read) { store, resolver in
            (try await store.job(jobID), resolver.home)
        }
        guard let job else { throw QueueError.jobNotFound(jobID) }
        let output = Output(context)
        if json {
            try output.json(JobDocument(job: job, home: home))
            return
        }
        let now = context.clock.now()
        func time(_ date: Date?) -> String {
            guard let date else { return "-" }
            return "\(Timestamp.format(date)) (\(RelativeTime.describe(date, now: now)))"
        }
        // keyValues shows every value on one line with control characters made visible.
        output.keyValues([
            ("id", TableCell(job.id.rawValue)),
            ("command", TableCell(job.command)),
            ("state", output.styled(job.state)),
            ("attempts", TableCell("\(job.attempts) of \(1 + job.maxRetries)")),
            ("max_retries", TableCell(String(job.maxRetries))),
            ("priority", TableCell(String(job.priority))),
            ("queue", TableCell(job.queue)),
            ("run_at", TableCell(time(job.runAt))),
            ("timeout", TableCell(job.timeout == 0 ? "none" : "\(job.timeout)s")),
            ("exit_code", TableCell(job.exitCode.map { String($0) } ?? "-")),
            ("last_error", TableCell(job.lastError ?? "-")),
            ("created_at", TableCell(time(job.createdAt))),
            ("updated_at", TableCell(time(job.updatedAt))),
            ("started_at", TableCell(time(job.startedAt))),
            ("finished_at", TableCell(time(job.finishedAt))),
            ("worker", TableCell(job.worker ?? "-")),
            ("log", TableCell(home.logFile(for: job.id))),
        ])
    }
}
