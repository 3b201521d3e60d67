import QueueCore

/// The log marks (`LogMark`) a job's own row keeps in `queuectl_job.log_marks` (migration 022), one after
/// another in the order they were written. An entry is its file offset and its byte count in decimal, each followed
/// by a space, then its bytes; or, for a silent run's two lines (`LogMark.silentRun`), `r` and the parts they are
/// made from: the offset, attempt, start (milliseconds), run time (milliseconds) and the worker's byte count in
/// decimal, each followed by a space, the worker and a space, then the ending's byte count, a space and the ending
/// (`r0 1 1796621591108 10 15 vm-11157-2elc-1 18 exited with code 0`: 61 bytes instead of 153 for the lines, so
/// a finished row grows by 40% of what it did, and the table's pages split less often under a drain). A silent
/// run's mark is appended by an UPDATE of the row its run end rewrites anyway, so it dirties no page of its own
/// (a row of `queuectl_log_mark` dirtied that table's page and its index's). Past `rowLimit` bytes the row's marks
/// move to `queuectl_log_mark` (a job that snoozes for days would otherwise make every write of its row copy an
/// ever longer value), so a job's marks are that table's rows, then its row's.
enum PackedLogMarks {
    /// The most bytes of marks a row takes another mark on top of: about seven silent runs' lines as text, or
    /// sixteen by their parts, so a row stays well inside one page of the table.
    static let rowLimit = 1024

    /// `mark` as one entry of a row's marks.
    static func pack(_ mark: LogMark) -> [UInt8] {
        if let run = mark.silentRun, run.attempt >= 0, run.startedAt >= 0, run.endedAt >= run.startedAt {
            let worker = Array(run.worker.utf8)
            let ending = Array(run.ending.utf8)
            var entry = Array(
                "r\(mark.fileOffset) \(run.attempt) \(run.startedAt) \(run.endedAt - run.startedAt) \(worker.count) ".utf8)
            entry.reserveCapacity(entry.count + worker.count + ending.count + 8)
            entry += worker
            entry += Array(" \(ending.count) ".utf8)
            entry += ending
            return entry
        }
        var entry = Array("\(mark.fileOffset) \(mark.bytes.count) ".utf8)
        entry.reserveCapacity(entry.count + mark.bytes.count)
        entry += mark.bytes
        return entry
    }

    /// The marks of a row's `log_marks` value, in the order they were written; nil when it is not a sequence of
    /// entries `pack` wrote.
    static func unpack(_ packed: [UInt8]) -> [LogMark]? {
        var marks: [LogMark] = []
        var index = packed.startIndex
        /// The decimal number at `index` up to its space, moving past both.
        func number() -> Int? {
            var value = 0
            let start = index
            while index < packed.endIndex, packed[index] != UInt8(ascii: " ") {
                let digit = Int(packed[index]) - Int(UInt8(ascii: "0"))
                guard (0...9).contains(digit), index - start < 18 else { return nil }
                value = value * 10 + digit
                index += 1
            }
            guard index > start, index < packed.endIndex else { return nil }
            index += 1
            return value
        }
        /// Whether a space is at `index`, moving past it.
        func space() -> Bool {
            guard index < packed.endIndex, packed[index] == UInt8(ascii: " ") else { return false }
            index += 1
            return true
        }
        /// The next `count` bytes as text, moving past them.
        func text(_ count: Int) -> String? {
            guard packed.endIndex - index >= count else { return nil }
            defer { index += count }
            return String(validating: packed[index..<index + count], as: UTF8.self)
        }
        while index < packed.endIndex {
            if packed[index] == UInt8(ascii: "r") {
                index += 1
                guard let offset = number(), let attempt = number(), let startedAt = number(), let runTime = number(),
                    let workerCount = number(), let worker = text(workerCount), space(), let endingCount = number(),
                    let ending = text(endingCount)
                else { return nil }
                let lines = SilentRunLines(
                    attempt: attempt, startedAt: Int64(startedAt), worker: worker, ending: ending,
                    endedAt: Int64(startedAt) + Int64(runTime))
                marks.append(LogMark(fileOffset: offset, silentRun: lines))
                continue
            }
            guard let offset = number(), let count = number(), packed.endIndex - index >= count else { return nil }
            marks.append(LogMark(fileOffset: offset, bytes: Array(packed[index..<index + count])))
            index += count
        }
        return marks
    }
}
