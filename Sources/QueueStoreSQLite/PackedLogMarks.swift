import QueueCore

/// The log marks (`LogMark`) a job's own row keeps in `queuectl_job.log_marks` (migration 022), one after
/// another in the order they were written: each is its file offset and its byte count in decimal, each followed
/// by a space, then its bytes. A silent run's mark is appended by an UPDATE of the row its run end rewrites
/// anyway, so it dirties no page of its own (a row of `queuectl_log_mark` dirtied that table's page and its
/// index's). Past `rowLimit` bytes the row's marks move to `queuectl_log_mark` (a job that snoozes for days
/// would otherwise make every write of its row copy an ever longer value), so a job's marks are that table's
/// rows, then its row's.
enum PackedLogMarks {
    /// The most bytes of marks a row takes another mark on top of: about seven silent runs' lines, so a row
    /// stays well inside one page of the table.
    static let rowLimit = 1024

    /// `mark` as one entry of a row's marks.
    static func pack(_ mark: LogMark) -> [UInt8] {
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
        while index < packed.endIndex {
            guard let offset = number(), let count = number(), packed.endIndex - index >= count else { return nil }
            marks.append(LogMark(fileOffset: offset, bytes: Array(packed[index..<index + count])))
            index += count
        }
        return marks
    }
}
