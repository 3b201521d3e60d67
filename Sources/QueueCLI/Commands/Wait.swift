import ArgumentParser
import Foundation
import QueueCore
import QueueOperations

/// `queuectl wait ID ... [--timeout S]`: until each job is completed (exit 0) or one is dead or cancelled (exit 1).
struct Wait: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until jobs are completed (exit 0) or one of them is dead or cancelled (exit 1).",
        discussion: """
            An unknown id, a dead or cancelled job or the timeout passing exits 1 with a line saying which. Ids may be
            unique prefixes of 4 characters or more; --timeout takes seconds (90) or 500ms, 30s, 15m, 2h, 7d.
            When no running worker could run a job waited for, it says so once on stderr and keeps waiting.

            Example:
              queuectl wait job1 job2
              queuectl wait job1 --timeout 60
            """)

    @OptionGroup var global: GlobalOptions

    /// The jobs to wait for.
    @Argument(help: "The job ids, or unique prefixes of them (4 characters or more).", completion: .jobIDs)
    var ids: [String]

    /// Give up after this long.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Give up (exit 1) after this long: seconds (90) or 500ms, 30s, 15m, 2h, 7d.", valueName: "duration"))
    var timeout: String?

    /// `--timeout` in seconds.
    private func timeoutSeconds() throws(QueueError) -> Double? {
        try DurationValue.seconds(of: timeout, option: "--timeout", maximum: 31_536_000)
    }

    func validate() throws {
        guard !ids.isEmpty else { throw ValidationError("give at least one job id") }
    }

    /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
    func run() async throws {
        var given: [JobID] = []
        for id in ids { given.append(try JobID(id)) }
        let timeout = try timeoutSeconds()
        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now.advanced(by: .milliseconds(Int64($0 * 1000))) }
        try await global.withOperations(for: .read) { operations, _ in
            let store = operations.store
            var waiting = try await JobIDResolver(store: store).resolve(given)
            var delay = Duration.milliseconds(20)
            var notice = NoWorkerNotice(context: CommandContext.current)
            while true {
                var stillWaiting: [(JobID, JobState)] = []
                var unfinished: [Job] = []
                for id in waiting {
                    guard let job = try await store.job(id) else { throw QueueError.jobNotFound(id) }
                    switch job.state {
                    case .completed: continue
                    case .dead:
                        throw QueueError.operationFailed(
                            "job '\(id)' is dead after \(job.attempts) attempt\(job.attempts == 1 ? "" : "s")"
                                + (job.lastError.map { " (last error: \($0))" } ?? ""))
                    case .cancelled:
                        throw QueueError.operationFailed("job '\(id)' was cancelled")
                    default:
                        stillWaiting.append((id, job.state))
                        unfinished.append(job)
                    }
                }
                if stillWaiting.isEmpty { return }
                waiting = stillWaiting.map(\.0)
                if let deadline, clock.now >= deadline {
                    let list = stillWaiting.map { "'\($0.0)' (\($0.1))" }.joined(separator: ", ")
                    throw QueueError.operationFailed(
                        "timed out after \((timeout ?? 0).plainText)s waiting for job\(stillWaiting.count == 1 ? "" : "s") \(list)")
                }
                try await notice.check(unfinished, in: operations)
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .milliseconds(200))
            }
        }
    }
}
