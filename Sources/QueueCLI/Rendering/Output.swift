import Foundation
import QueueCore
import QueueFormatting

/// Prints command results: plain lines, single-line JSON, aligned tables and `key: value`
/// blocks, to the context's stdout; warnings to its stderr. Colour only on a terminal without `NO_COLOR`.
/// Human output never carries a control character from the data (a command, an error text): they are
/// shown visibly (`^[`), so stored text cannot move the cursor or recolour the terminal. JSON is exact.
struct Output {
    /// Where and how to print.
    let context: CommandContext

    init(_ context: CommandContext = .current) {
        self.context = context
    }

    /// Prints one line (or several joined lines) to stdout.
    func line(_ text: String) {
        context.standardOutput.write(text + "\n")
    }

    /// Prints `lines` to stdout in one write.
    func lines(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        context.standardOutput.write(lines.joined(separator: "\n") + "\n")
    }

    /// Prints a warning line to stderr.
    func warning(_ text: String) {
        context.standardError.write(QueueCtl.errorPrefix + QueueCtl.stderrText("warning: " + text) + "\n")
    }

    /// Prints an informational line to stderr (not a warning: nothing was wrong with the input).
    func note(_ text: String) {
        context.standardError.write(QueueCtl.errorPrefix + QueueCtl.stderrText(text) + "\n")
    }

    /// Prints `value` as one line of JSON, fields in the order the value encodes them (`OrderedJSONEncoder`).
    func json(_ value: some Encodable) throws(QueueError) {
        do {
            line(try OrderedJSONEncoder().encodeToString(value))
        } catch {
            throw .operationFailed("could not encode the output as JSON: \(error)")
        }
    }

    /// The documents of `jobs` for JSON output, with their log paths under `home`.
    func documents(_ jobs: [Job], home: QueueHome) -> [JobDocument] {
        jobs.map { JobDocument(job: $0, home: home) }
    }

    /// A state name, coloured when colour is on.
    func styled(_ state: JobState) -> TableCell {
        TableCell(state.rawValue, color: context.usesColor ? Self.color(of: state) : nil)
    }

    /// Prints an aligned table whose last column gives way (cut with `…`) when a line is too wide.
    func table(headers: [String], rows: [[TableCell]]) {
        table(TextTable.columns(headers: headers), rows: rows)
    }

    /// Prints an aligned table that fits the terminal width (`TextTable.lines`), its header in bold when colour
    /// is on.
    func table(_ columns: [TableColumn], rows: [[TableCell]]) {
        let bold = context.usesColor ? "1" : nil
        lines(TextTable.lines(columns, rows: rows, width: context.terminal.columns, headerColor: bold))
    }

    /// Prints `key: value` lines with the values aligned; values are shown on one line with control
    /// characters made visible.
    func keyValues(_ pairs: [(String, TableCell)]) {
        lines(TextTable.keyValueLines(pairs))
    }

    /// Prints `key: value` lines of plain values.
    func keyValues(_ pairs: [(String, String)]) {
        keyValues(pairs.map { ($0.0, TableCell($0.1)) })
    }

    private static func color(of state: JobState) -> String {
        switch state {
        case .pending: "36"
        case .processing: "34"
        case .completed: "32"
        case .failed: "33"
        case .dead: "31"
        case .cancelled: "35"
        }
    }
}
