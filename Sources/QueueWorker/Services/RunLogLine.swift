import Foundation
import QueueCore

/// A line queuectl writes into a job's log around each run, so the log tells the story `show` sums up: a
/// header before the run's output (`--- attempt 2 · <time> · worker <id> ---`) and an end line after it
/// (`--- end of attempt 2 · exited with code 1 · <time> ---`), also for runs that were interrupted and put
/// back or whose worker was lost. The end line starts differently from a header, so tools counting
/// `--- attempt ` lines still count runs.
public struct RunLogLine: Sendable, Equatable {
    /// The line, ending in a newline.
    public let text: String

    /// The header of run `attempt`, started at `start` by `worker` (`RunHeader`).
    public static func header(attempt: Int, at start: Date, worker: String) -> RunLogLine {
        RunLogLine(text: RunHeader(attempt: attempt, startedAt: start, worker: worker).text)
    }

    /// What a run's header line is made of (`header(attempt:at:worker:)`), kept until the line is needed: only
    /// `JobRunner` and the slot thread that writes the header pass it around.
    struct Header: Sendable, Equatable {
        /// The run's attempt number.
        var attempt: Int
        /// When it started.
        var start: Date
        /// The worker running it.
        var worker: String

        /// The header line.
        var line: RunLogLine { .header(attempt: attempt, at: start, worker: worker) }
    }

    /// The end line of run `attempt`, which ended at `end` as `how` says.
    public static func end(attempt: Int, _ how: String, at end: Date) -> RunLogLine {
        RunLogLine(text: RunHeader.endLine(attempt: attempt, how, at: end))
    }

    /// How a run that ended with `outcome` is told in its end line: as `last_error` tells it, and a success
    /// by its exit code.
    public static func describe(_ outcome: RunOutcome) -> String {
        outcome.errorDescription ?? "exited with code 0"
    }

    /// What a run stopped by `worker stop --timeout` says: it was put back and does not count.
    public static let interrupted = "interrupted by a stop with a timeout: put back as pending, not counted as an attempt"

    /// What a run killed because its worker lost its lease says (recovery counts it as "worker lost").
    public static let fenced = "killed: its worker lost its lease (worker lost)"

    /// What recovery writes for a run whose worker died: the worker it ran on and who recovered it.
    public static func lost(worker: String, recoveredOn host: String) -> String {
        "worker lost: \(worker) stopped renewing its lease; recovered on host \(host)"
    }

    /// The bytes to append to a log whose last byte is `last` (nil: an empty log): the line, after a newline
    /// when the output before it did not end with one, so a header or end line always starts a line.
    public func bytes(after last: UInt8?) -> [UInt8] {
        let line = Array(text.utf8)
        guard let last, last != UInt8(ascii: "\n") else { return line }
        return [UInt8(ascii: "\n")] + line
    }
}
