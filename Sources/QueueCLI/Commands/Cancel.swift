import ArgumentParser
import QueueCore
import QueueOperations

/// `queuectl cancel ID... [--wait] [--grace DURATION] [--json]`: stops jobs for good.
struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel jobs: waiting ones at once, running ones through the worker that runs them.",
        discussion: """
            A pending or failed job becomes cancelled at once. A processing job is stopped by the worker that
            holds it, on whichever host: SIGTERM to the job's process group within about a second, SIGKILL
            after --grace (default 10s); it ends cancelled and is never retried. Without --wait the command
            returns at once (a running job may show processing for about a second more). A run that had
            already exited 0 before the signal stays completed, and --wait says so on stderr.
            All or nothing: an unknown id, or a job that is completed, dead or cancelled, exits 1 naming it
            and cancels nothing. Prints the ids cancelled (--json: the jobs).

            Example:
              queuectl cancel job1 job2
              queuectl cancel backup --wait --grace 30s
            """)

    @OptionGroup var global: GlobalOptions

    /// The jobs to cancel.
    @Argument(
        help: ArgumentHelp("The jobs to cancel (ids, or unique prefixes of 4 characters or more).", valueName: "id"),
        completion: .jobIDs)
    var ids: [String] = []

    /// Return once the runs have stopped.
    @Flag(help: "Return once every cancelled run has stopped.") var wait = false

    /// SIGTERM to SIGKILL.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "How long a running job gets between SIGTERM and SIGKILL (default 10s): seconds (90) or 500ms, 30s, 15m, 2h, 7d.",
            valueName: "duration"))
    var grace: String?

    /// Print the jobs as JSON.
    @Flag(help: "Print the cancelled jobs as a JSON array.") var json = false

    /// `--grace` as a duration (default 10 s); a usage error for a bad or negative value.
    func graceDuration() throws(QueueError) -> Duration {
        guard let grace else { return Operations.defaultCancelGrace }
        let seconds = try DurationValue(parsing: grace, option: "--grace", maximum: 86_400).seconds
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    func validate() throws {
        guard !ids.isEmpty else { throw ValidationError("give the ids of the jobs to cancel") }
    }

    /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
    func run() async throws {
        let grace = try graceDuration()
        var given: [JobID] = []
        for id in ids { given.append(try JobID(id)) }
        let context = CommandContext.current
        let output = Output(context)
        let (jobs, home) = try await global.withOperations { operations, resolver in
            var jobs = try await operations.cancel(given, grace: grace)
            if wait { jobs = try await operations.waitForCancelledRuns(jobs) }
            return (jobs, resolver.home)
        }
        for note in jobs.compactMap(Operations.cancelNote(for:)) { output.warning(note) }
        if json {
            try output.json(output.documents(jobs, home: home))
        } else {
            output.lines(jobs.map(\.id.rawValue))
        }
    }
}
