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
        let (job, home) = try await global.withStore { store, resolver in
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
        let state = output.styled(job.state)
        output.keyValues([
            ("id", job.id.rawValue),
            ("command", Output.singleLine(job.command)),
            ("state", state.color.map { "\u{1B}[\($0)m\(state.text)\u{1B}[0m" } ?? state.text),
            ("attempts", "\(job.attempts) of \(1 + job.maxRetries)"),
            ("max_retries", String(job.maxRetries)),
            ("priority", String(job.priority)),
            ("queue", job.queue),
            ("run_at", time(job.runAt)),
            ("timeout", job.timeout == 0 ? "none" : "\(job.timeout)s"),
            ("exit_code", job.exitCode.map { String($0) } ?? "-"),
            ("last_error", job.lastError.map(Output.singleLine) ?? "-"),
            ("created_at", time(job.createdAt)),
            ("updated_at", time(job.updatedAt)),
            ("started_at", time(job.startedAt)),
            ("finished_at", time(job.finishedAt)),
            ("worker", job.worker ?? "-"),
            ("log", home.logFile(for: job.id)),
        ])
    }
}
