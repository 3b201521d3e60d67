import Foundation
import QueueCore

/// Prints command results: plain lines, single-line JSON, aligned tables and `key: value`
/// blocks, to the context's stdout; warnings to its stderr. Colour only on a terminal without `NO_COLOR`.
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
        context.standardError.write("queuectl: warning: \(Self.singleLine(text))\n")
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

    /// Prints an aligned table. The last column is cut with `…` so lines fit the terminal width.
    func table(headers: [String], rows: [[TableCell]]) {
        guard !rows.isEmpty else { return }
        let widthOf = { (cell: TableCell) in cell.text.count }
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count - 1 {
                widths[index] = max(widths[index], widthOf(cell))
            }
        }
        let fixed = widths.dropLast().reduce(0) { $0 + $1 + 2 }
        let lastWidth = max(context.terminal.columns - fixed, 10)
        func render(_ cells: [TableCell]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                let isLast = index == cells.count - 1
                let value = isLast ? Self.truncated(cell.text, to: lastWidth) : cell.text
                let painted = cell.color.map { "\u{1B}[\($0)m\(value)\u{1B}[0m" } ?? value
                text += painted
                if !isLast { text += String(repeating: " ", count: widths[index] - value.count + 2) }
            }
            return text
        }
        let bold = context.usesColor
        let header = render(headers.map { TableCell($0, color: bold ? "1" : nil) })
        lines([header] + rows.map(render))
    }

    /// Prints `key: value` lines with the values aligned.
    func keyValues(_ pairs: [(String, String)]) {
        let width = pairs.map(\.0.count).max() ?? 0
        lines(pairs.map { key, value in
            key + ":" + String(repeating: " ", count: width - key.count + 1) + value
        })
    }

    /// `text` cut to `width` characters, ending in `…` when cut; control characters become spaces.
    static func truncated(_ text: String, to width: Int) -> String {
        let flat = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        guard flat.count > width else { return flat }
        return String(flat.prefix(max(width - 1, 0))) + "…"
    }

    /// `text` as one line: line breaks shown as `\n`, so an error is always exactly one line.
    static func singleLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func color(of state: JobState) -> String {
        switch state {
        case .pending: "36"
        case .processing: "34"
        case .completed: "32"
        case .failed: "33"
        case .dead: "31"
        }
    }
}
