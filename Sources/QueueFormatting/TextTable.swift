/// The aligned tables and `key: value` blocks of human output, as lines: the command line prints them through
/// its `Output`, the start-up fast path through its own buffer, so both print the same bytes. Widths are counted
/// in `Character`s.
public enum TextTable {
    /// The width of a line when stdout is not a terminal and `COLUMNS` is unset.
    public static let defaultWidth = 100

    /// The columns of a plain table headed `headers`, whose last column gives way (cut with `…`) down to its
    /// header's width when a line is too wide.
    public static func columns(headers: [String]) -> [TableColumn] {
        var columns = headers.map { TableColumn($0) }
        if let last = headers.last { columns[columns.count - 1].minimum = last.count }
        return columns
    }

    /// The lines of a table, header first (in `headerColor`, when given), or none when there are no rows. Every
    /// line fits `width` columns: columns are cut with `…` as `TableLayout` decides, and when even their minimums
    /// do not fit, each line is cut at the edge, but never inside a column that `keepsWhole` (a job id): such a
    /// line is cut after it instead, even when that is wider than `width`. Cells show control characters visibly
    /// and line breaks as spaces.
    public static func lines(_ columns: [TableColumn], rows: [[TableCell]], width: Int, headerColor: String?)
        -> [String]
    {
        guard !rows.isEmpty, !columns.isEmpty else { return [] }
        let header = columns.map { TableCell($0.header, color: headerColor) }
        let body = rows.map { row in
            row.map { TableCell(VisibleText.visible($0.text, lineBreaks: .spaces), color: $0.color) }
        }
        var natural = Array(repeating: 0, count: columns.count)
        for row in [header] + body {
            for (index, cell) in row.enumerated() where index < natural.count {
                natural[index] = max(natural[index], cell.text.count)
            }
        }
        let available = max(width, 1)
        let widths = TableLayout.widths(of: columns, natural: natural, available: available)
        let edge = max(available, TableLayout.uncuttableWidth(of: columns, widths: widths))
        return ([header] + body).map { cells in
            var segments: [TableCell] = []
            for (index, cell) in cells.enumerated() where index < widths.count {
                let value = VisibleText.truncated(cell.text, to: widths[index])
                segments.append(TableCell(value, color: cell.color))
                if index < cells.count - 1, index < widths.count - 1 {
                    segments.append(TableCell(String(repeating: " ", count: widths[index] - value.count + 2)))
                }
            }
            return painted(cut(segments, to: edge))
        }
    }

    /// `key: value` lines with the values aligned after the longest key; each value on one line, with control
    /// characters made visible (`VisibleText.singleLine`).
    public static func keyValueLines(_ pairs: [(String, TableCell)]) -> [String] {
        let width = pairs.map(\.0.count).max() ?? 0
        return pairs.map { key, value in
            let text = VisibleText.singleLine(value.text)
            var line = key
            line.reserveCapacity(width + 2 + text.utf8.count + (value.color == nil ? 0 : 12))
            line.append(":")
            line.append(String(repeating: " ", count: width - key.count + 1))
            paint(TableCell(text, color: value.color), onto: &line)
            return line
        }
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
        var line = ""
        line.reserveCapacity(segments.reduce(0) { $0 + $1.text.utf8.count + ($1.color == nil ? 0 : 12) })
        for segment in segments { paint(segment, onto: &line) }
        return line
    }

    /// Appends `segment` to `line`, wrapped in its SGR codes when it has a colour.
    private static func paint(_ segment: TableCell, onto line: inout String) {
        guard let color = segment.color else {
            line.append(segment.text)
            return
        }
        line.append("\u{1B}[")
        line.append(color)
        line.append("m")
        line.append(segment.text)
        line.append("\u{1B}[0m")
    }
}
