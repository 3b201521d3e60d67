/// The aligned tables of `Output.table` without colour (the fast path declines on a terminal): the same widths
/// (`TableLayout`'s rounds of giving way), the same cuts with `…`, the same control characters made visible.
/// Widths are counted in `Character`s, as `Output` counts them.
enum FastPathTable {
    /// One column: its header and how far it may give way (`TableColumn`).
    struct Column {
        var header: String
        var cap: Int?
        var minimum: Int?
        var keepsWhole = false
    }

    /// Appends a table whose last column gives way down to its header's width (`Output.table(headers:rows:)`).
    /// `rows[0]` holds the headers.
    static func render(_ rows: [[String]], into output: inout FastPathText, available: Int = defaultColumns) {
        guard let headers = rows.first, let last = headers.last else { return }
        var columns = headers.map { Column(header: $0) }
        columns[columns.count - 1].minimum = last.count
        render(columns, rows: Array(rows.dropFirst()), into: &output, available: available)
    }

    /// `Terminal.defaultColumns`: the width when stdout is not a terminal and `COLUMNS` is unset.
    static let defaultColumns = 100

    /// Appends the table of `columns` and `rows` (`Output.table(_:rows:)`); nothing when there are no rows.
    static func render(_ columns: [Column], rows: [[String]], into output: inout FastPathText, available: Int) {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        let lines = [columns.map(\.header)] + rows.map { row in row.map { visible($0, lineBreaks: false) } }
        var natural = [Int](repeating: 0, count: columns.count)
        for line in lines {
            for (index, cell) in line.enumerated() where index < natural.count {
                natural[index] = max(natural[index], cell.count)
            }
        }
        let room = max(available, 1)
        let widths = widths(of: columns, natural: natural, available: room)
        let edge = max(room, uncuttableWidth(of: columns, widths: widths))
        for line in lines {
            var segments: [String] = []
            for (index, cell) in line.enumerated() where index < widths.count {
                let value = truncated(cell, to: widths[index])
                segments.append(value)
                if index < line.count - 1, index < widths.count - 1 {
                    segments.append(String(repeating: " ", count: widths[index] - value.count + 2))
                }
            }
            for segment in cut(segments, to: edge) { output.append(segment) }
            output.append("\n")
        }
    }

    /// `TableLayout.widths(of:natural:available:)`.
    private static func widths(of columns: [Column], natural: [Int], available: Int) -> [Int] {
        let gap = 2
        var widths = natural
        var excess = widths.reduce(0, +) + gap * max(widths.count - 1, 0) - available
        func shrink(_ index: Int, to floor: Int) {
            guard excess > 0, index < widths.count, widths[index] > floor else { return }
            let cut = min(excess, widths[index] - max(floor, 1))
            widths[index] -= cut
            excess -= cut
        }
        if let last = columns.indices.last, let minimum = columns[last].minimum { shrink(last, to: minimum) }
        for (index, column) in columns.enumerated() {
            if let cap = column.cap { shrink(index, to: cap) }
        }
        for index in columns.indices.dropLast() {
            if let minimum = columns[index].minimum { shrink(index, to: minimum) }
        }
        return widths
    }

    /// `TableLayout.uncuttableWidth(of:widths:)`.
    private static func uncuttableWidth(of columns: [Column], widths: [Int]) -> Int {
        guard let last = columns.lastIndex(where: \.keepsWhole), last < widths.count else { return 0 }
        return widths[0...last].reduce(0, +) + 2 * last + 2
    }

    /// `Output.truncated(_:to:)`.
    static func truncated(_ text: String, to width: Int) -> String {
        let flat = visible(text, lineBreaks: false)
        guard flat.count > width else { return flat }
        return String(flat.prefix(max(width - 1, 0))) + "…"
    }

    /// `Output.cut(_:to:)`.
    private static func cut(_ segments: [String], to width: Int) -> [String] {
        guard segments.reduce(0, { $0 + $1.count }) > width else { return segments }
        var result: [String] = []
        var room = max(width - 1, 0)
        for segment in segments {
            guard room > 0 else { break }
            let kept = String(segment.prefix(room))
            result.append(kept)
            room -= kept.count
        }
        result.append("…")
        return result
    }

    /// `Output.visible(_:lineBreaks:)`: control characters in caret notation; line feeds, carriage returns and
    /// tabs as `\n`, `\r`, `\t` with `lineBreaks`, else as one space each.
    static func visible(_ text: String, lineBreaks: Bool) -> String {
        func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        func add(_ ascii: String) { result.append(contentsOf: ascii.unicodeScalars) }
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D, 0x09:
                if lineBreaks {
                    add(scalar.value == 0x0A ? "\\n" : scalar.value == 0x0D ? "\\r" : "\\t")
                } else {
                    add(" ")
                }
            case 0x00...0x1F:
                add("^")
                result.append(Unicode.Scalar(UInt8(scalar.value + 0x40)))
            case 0x7F:
                add("^?")
            case 0x80...0x9F:
                add("M-^")
                result.append(Unicode.Scalar(UInt8(scalar.value - 0x80 + 0x40)))
            default:
                result.append(scalar)
            }
        }
        return String(result)
    }
}
