import QueueFormatting

/// The output of one command, gathered as bytes and written with `write(2)` once the command has succeeded, so
/// that a command that declines halfway has printed nothing. What it holds is rendered by `QueueFormatting`, as the
/// full command line renders it, and by hand: `print`, `String(describing:)` and Foundation's formatters would
/// start the runtime's conformance scan that the fast path exists to avoid.
struct FastPathText {
    /// The bytes to write.
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(4096)
    }

    /// Appends `text` as UTF-8.
    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends `value` in decimal.
    mutating func append(_ value: Int64) {
        append(String(value))
    }

    /// Appends `lines`, each ended by a line feed.
    mutating func appendLines(_ lines: [String]) {
        for line in lines {
            bytes.append(contentsOf: line.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
    }

    /// Appends a table as `Output.table` prints it when stdout is not a terminal and `COLUMNS` is unset (the fast
    /// path declines the other cases): no colour, `TextTable.defaultWidth` wide.
    mutating func appendTable(_ columns: [TableColumn], rows: [[TableCell]]) {
        appendLines(TextTable.lines(columns, rows: rows, width: TextTable.defaultWidth, headerColor: nil))
    }

    /// Appends `text` as a JSON string literal (`JSONText.quoted`, as `OrderedJSONEncoder` writes it).
    mutating func appendJSONString(_ text: String) {
        JSONText.appendQuoted(text, to: &bytes)
    }

    /// Appends `text` as a JSON string literal, or `null`.
    mutating func appendJSONString(_ text: String?) {
        if let text { appendJSONString(text) } else { append("null") }
    }

    /// Writes everything to `descriptor` (`DescriptorWriter`, as `TextSink` writes). Returns the `errno` of a
    /// failed write, nil on success; a closed pipe counts as success (the reader wanted no more).
    func write(to descriptor: Int32) -> Int32? {
        bytes.withUnsafeBytes { DescriptorWriter.writeAll($0, to: descriptor) }
    }
}
