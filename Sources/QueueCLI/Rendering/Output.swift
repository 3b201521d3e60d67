import Foundation
import QueueCore

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
        var columns = headers.map { TableColumn($0) }
        if let last = headers.last { columns[columns.count - 1].minimum = last.count }
        table(columns, rows: rows)
    }

    /// Prints an aligned table. Every line fits the terminal width: columns are cut with `…` as
    /// `TableLayout` decides, and when even their minimums do not fit, each line is cut at the edge, but
    /// never inside a column that `keepsWhole` (a job id): such a line is cut after it instead, even when
    /// that is wider than the terminal.
    func table(_ columns: [TableColumn], rows: [[TableCell]]) {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        let bold = context.usesColor ? "1" : nil
        let header = columns.map { TableCell($0.header, color: bold) }
        let body = rows.map { row in row.map { TableCell(Self.visible($0.text, lineBreaks: .spaces), color: $0.color) } }
        var natural = Array(repeating: 0, count: columns.count)
        for row in [header] + body {
            for (index, cell) in row.enumerated() where index < natural.count {
                natural[index] = max(natural[index], cell.text.count)
            }
        }
        let available = max(context.terminal.columns, 1)
        let widths = TableLayout.widths(of: columns, natural: natural, available: available)
        let edge = max(available, TableLayout.uncuttableWidth(of: columns, widths: widths))
        func render(_ cells: [TableCell]) -> String {
            var segments: [TableCell] = []
            for (index, cell) in cells.enumerated() where index < widths.count {
                let value = Self.truncated(cell.text, to: widths[index])
                segments.append(TableCell(value, color: cell.color))
                if index < cells.count - 1, index < widths.count - 1 {
                    segments.append(TableCell(String(repeating: " ", count: widths[index] - value.count + 2)))
                }
            }
            return Self.painted(Self.cut(segments, to: edge))
        }
        lines(([header] + body).map(render))
    }

    /// Prints `key: value` lines with the values aligned; values are shown on one line with control
    /// characters made visible.
    func keyValues(_ pairs: [(String, TableCell)]) {
        let width = pairs.map(\.0.count).max() ?? 0
        lines(pairs.map { key, value in
            let text = TableCell(Self.singleLine(value.text), color: value.color)
            return key + ":" + String(repeating: " ", count: width - key.count + 1) + Self.painted([text])
        })
    }

    /// Prints `key: value` lines of plain values.
    func keyValues(_ pairs: [(String, String)]) {
        keyValues(pairs.map { ($0.0, TableCell($0.1)) })
    }

    /// `text` cut to `width` characters, ending in `…` when cut; control characters are made visible
    /// and line breaks and tabs become spaces.
    static func truncated(_ text: String, to width: Int) -> String {
        let flat = visible(text, lineBreaks: .spaces)
        guard flat.count > width else { return flat }
        return String(flat.prefix(max(width - 1, 0))) + "…"
    }

    /// `text` as one line: line breaks and tabs shown as `\n`, `\r` and `\t`, other control characters
    /// visibly (`^[`), so an error or a value is always exactly one line that cannot steer the terminal.
    static func singleLine(_ text: String) -> String {
        visible(text, lineBreaks: .escapes)
    }

    /// How `visible(_:lineBreaks:)` shows line feeds, carriage returns and tabs.
    enum LineBreaks {
        /// As one space each (table cells, where a row must stay one line and aligned).
        case spaces
        /// As `\n`, `\r` and `\t` (values and messages, where the difference matters).
        case escapes
    }

    /// `text` with every control character shown visibly in caret notation (as `cat -v` does): C0
    /// controls as `^@`…`^_` (ESC is `^[`), DEL as `^?`, C1 controls as `M-^@`…`M-^_`.
    static func visible(_ text: String, lineBreaks: LineBreaks) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D, 0x09:
                if lineBreaks == .spaces {
                    result += " "
                } else {
                    result += scalar.value == 0x0A ? "\\n" : scalar.value == 0x0D ? "\\r" : "\\t"
                }
            case 0x00...0x1F:
                result += "^" + String(Character(Unicode.Scalar(UInt8(scalar.value + 0x40))))
            case 0x7F:
                result += "^?"
            case 0x80...0x9F:
                result += "M-^" + String(Character(Unicode.Scalar(UInt8(scalar.value - 0x80 + 0x40))))
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return String(result)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// `segments` cut so their text is at most `width` characters, the last kept one ending in `…`.
    private static func cut(_ segments: [TableCell], to width: Int) -> [TableCell] {
        guard segments.reduce(0, { $0 + $1.text.count }) > width else { return segments }
        var result: [TableCell] = []
        var room = max(width - 1, 0)
        for segment in segments {
            guard room > 0 else { break }
            let kept = String(segment.text.prefix(room))
            result.append(TableCell(kept, color: segment.color))
            room -= kept.count
        }
        result.append(TableCell("…"))
        return result
    }

    /// The segments as one string, coloured ones wrapped in their SGR codes.
    private static func painted(_ segments: [TableCell]) -> String {
        segments.map { segment in
            segment.color.map { "\u{1B}[\($0)m\(segment.text)\u{1B}[0m" } ?? segment.text
        }.joined()
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
