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

    func validate() throws {
        guard (1...Worker.maximumCount).contains(count) else {
            throw ValidationError("--count must be from 1 to \(Worker.maximumCount), got \(count)")
        }
        if let empty = queues.first(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--queue needs a queue name, got '\(empty)'")
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
