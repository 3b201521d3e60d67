import Foundation

/// The header line of one run in a job's log (`--- attempt 2 · <start> · worker <id> ---`). Everything in it
/// comes from the job as claimed (attempt, `started_at`, worker), so the worker that writes it and a reader that
/// shows a running job's header before the run wrote anything (`JobLog.read`) produce the same bytes, and a
/// `logs --follow` that printed it early goes on at the right offset once the real one is written.
public struct RunHeader: Sendable, Equatable {
    /// The line, ending in a newline.
    public let text: String

    /// The header of run `attempt`, started at `start` by `worker`.
    public init(attempt: Int, startedAt start: Date, worker: String) {
        text = Self.text(attempt: attempt, start: Timestamp.format(start), worker: worker)
    }

    /// The header's text, its start already rendered (`Timestamp.format`).
    static func text(attempt: Int, start: String, worker: String) -> String {
        "--- attempt \(attempt) · \(start) · worker \(worker) ---\n"
    }

    /// The end line of run `attempt` (the worker's `RunLogLine.end`), which ended at `end` as `how` says.
    public static func endLine(attempt: Int, _ how: String, at end: Date) -> String {
        endLine(attempt: attempt, how, end: Timestamp.format(end))
    }

    /// The end line's text, its end already rendered (`Timestamp.format`).
    static func endLine(attempt: Int, _ how: String, end: String) -> String {
        "--- end of attempt \(attempt) · \(how) · \(end) ---\n"
    }

    /// The header of the run `job` is in now; nil when it is not running.
    public init?(runningJob job: Job) {
        guard job.state == .processing, let start = job.startedAt, let worker = job.worker else { return nil }
        self.init(attempt: job.attempts, startedAt: start, worker: worker)
    }

    /// The header line last in `tail` (the end of a log), without its newline; nil when there is none.
    public static func lastHeader(in tail: [UInt8]) -> ArraySlice<UInt8>? {
        tail.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).last { $0.starts(with: "--- attempt ".utf8) }
    }

    /// How much of a log's end `isRunOpen(atEndOf:)` is given.
    public static let openRunWindow = 4096

    /// Whether a log whose last bytes are `tail` ends inside a run (its header, maybe output, no end line yet):
    /// true when the last header or end line in it is a header, or when it holds output but neither (a run's
    /// output longer than the window). False for an empty log and one whose last such line is an end line: a
    /// run that wrote nothing since has no header there yet.
    public static func isRunOpen(atEndOf tail: [UInt8]) -> Bool {
        let lines = tail.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        for line in lines.reversed() {
            if line.starts(with: "--- end of attempt ".utf8) { return false }
            if line.starts(with: "--- attempt ".utf8) { return true }
        }
        return !tail.isEmpty
    }
}
