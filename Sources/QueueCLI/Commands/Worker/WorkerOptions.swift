import ArgumentParser
import QueueCore

/// `--count` and `--queue`, shared by `worker start` and `worker run`.
struct WorkerOptions: ParsableArguments {
    /// How many workers (job slots) to start.
    @Option(name: .long, help: ArgumentHelp("How many workers to start (1 to 256).", valueName: "n"))
    var count = 1

    /// Queues to serve; none means every queue.
    @Option(
        name: .customLong("queue"),
        help: ArgumentHelp("Serve only this queue; repeat for several (default: every queue).", valueName: "q"))
    var queues: [String] = []

    /// This daemon's idle poll, instead of `poll_interval_ms`.
    @Option(
        name: .customLong("poll-interval"), parsing: .unconditional,
        help: ArgumentHelp(
            "How often these workers look for due jobs when nothing wakes them, in ms (10 to 600000; default: config poll_interval_ms).",
            valueName: "ms"))
    var pollInterval: Int?

    /// The timeout of the jobs these workers run that name none, instead of `job_timeout`.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "How long runs of jobs that name no timeout may take, in whole seconds (90) or 30s, 15m, 2h, 7d; 0 = no limit (default: config job_timeout).",
            valueName: "duration"))
    var timeout: String?

    /// `--timeout` in whole seconds.
    func jobTimeoutSeconds() throws(QueueError) -> Int? {
        try DurationValue.seconds(of: timeout, option: "--timeout", maximum: Double(JobSpec.maximumTimeout), wholeSeconds: true)
            .map { Int($0) }
    }

    func validate() throws {
        guard (1...Worker.maximumCount).contains(count) else {
            throw ValidationError("--count must be from 1 to \(Worker.maximumCount), got \(count)")
        }
        if let empty = queues.first(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--queue needs a queue name, got '\(empty)'")
        }
        do {
            _ = try jobTimeoutSeconds()
        } catch {
            throw ValidationError(error.description)
        }
        if let pollInterval, !QueueConfig.pollIntervalRange.contains(pollInterval) {
            throw ValidationError(
                "--poll-interval is out of range: give \(QueueConfig.pollIntervalRange.lowerBound) to \(QueueConfig.pollIntervalRange.upperBound) milliseconds, got \(pollInterval)")
        }
        // A name no job can have would leave the worker idle for ever.
        if let invalid = queues.first(where: { !JobSpec.isValidQueueName($0) }) {
            throw ValidationError(JobSpec.invalidQueueName(invalid).description)
        }
    }
}
