import ArgumentParser
import Foundation
import QueueCore
import QueueFormatting
import QueueOperations

/// `queuectl show ID`: every field of one job.
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show every field of one job.",
        discussion: """
            snoozes counts runs that exited with snooze_exit_code (not counted in attempts). after lists the jobs
            this one runs after, each with its state now; waiting_for those of them that have not completed yet.
            duration is how long the latest run took once it ended; last_worker is the worker that ran it
            (worker is the one holding it while it runs). The id may be a unique prefix of 4 characters or more (an exact id always wins). An unknown id
            or an ambiguous prefix exits 1.

            Example:
              queuectl show job1
              queuectl show job1 --json
            """)

    @OptionGroup var global: GlobalOptions

    /// The job to show.
    @Argument(help: "The job id, or a unique prefix of it (4 characters or more).", completion: .jobIDs) var id: String

    /// Print JSON instead of `key: value` lines.
    @Flag(help: "Print the job as a JSON object.") var json = false

    /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).

    func run() async throws {
        let jobID = try JobID(id)
        let context = CommandContext.current
        let (job, dependencies, home) = try await global.withOperations(for: .read) { operations, resolver in
            let job = try await operations.job(jobID)
            return (job, try await operations.dependencies(of: job), resolver.home)
        }
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
            ("snoozes", TableCell(String(job.snoozes))),
            ("max_retries", TableCell(String(job.maxRetries))),
            ("priority", TableCell(String(job.priority))),
            ("queue", TableCell(job.queue)),
            ("run_at", TableCell(time(job.runAt))),
            ("timeout", TableCell(job.timeout == 0 ? "none" : "\(job.timeout)s")),
            ("no_retry_exit_codes", TableCell(Self.describe(exitCodes: job.noRetryExitCodes))),
            ("after", TableCell(Self.describe(dependencies: dependencies))),
            ("waiting_for", TableCell(Self.describe(waitingFor: dependencies))),
            ("exit_code", TableCell(job.exitCode.map { String($0) } ?? "-")),
            ("last_error", TableCell(job.lastError ?? "-")),
            ("created_at", TableCell(time(job.createdAt))),
            ("updated_at", TableCell(time(job.updatedAt))),
            ("started_at", TableCell(time(job.startedAt))),
            ("finished_at", TableCell(time(job.finishedAt))),
            ("duration", TableCell(job.lastRunDuration.map(RunDuration.describe(seconds:)) ?? "-")),
            ("worker", TableCell(job.worker ?? "-")),
            ("last_worker", TableCell(job.lastWorker ?? "-")),
            ("log", TableCell(home.logFile(for: job.id))),
        ])
    }

    /// A list of exit codes as `config set no_retry_exit_codes` takes them (`2,64`), `-` for none.
    static func describe(exitCodes: [Int32]) -> String {
        exitCodes.isEmpty ? "-" : exitCodes.map(String.init).joined(separator: ",")
    }

    /// The jobs a job waits for, each with its state now (`build (completed), lint (processing)`), `-` for none.
    static func describe(dependencies: [JobDependencyStatus]) -> String {
        guard !dependencies.isEmpty else { return "-" }
        return dependencies.map { "\($0.id) (\($0.state.map(\.rawValue) ?? "removed"))" }.joined(separator: ", ")
    }

    /// The dependencies a job still waits for (`lint, test`), `-` for none.
    static func describe(waitingFor dependencies: [JobDependencyStatus]) -> String {
        let waiting = dependencies.filter(\.isWaitedFor)
        return waiting.isEmpty ? "-" : waiting.map(\.id.rawValue).joined(separator: ", ")
    }
}
