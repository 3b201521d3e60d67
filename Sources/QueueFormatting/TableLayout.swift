/// Decides the width of each column of a table so its lines fit the terminal.
public enum TableLayout {
    /// The widths of `columns` whose widest cells (header included) are `natural`, so that a line of
    /// cells joined by `gap` spaces fits in `available` columns. Columns give way in rounds, each cut only
    /// as far as needed: first the last column (a job table's command) down to its minimum, then the
    /// columns with a `cap` (left to right) down to it, then the other columns with a minimum down to it.
    /// Columns without a minimum are never cut. When even that is not enough the caller cuts each line at
    /// the edge (after any column that `keepsWhole`).
    public static func widths(of columns: [TableColumn], natural: [Int], available: Int, gap: Int = 2) -> [Int] {
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

    /// The narrowest a line may be cut to at the terminal's edge so that every column that `keepsWhole`
    /// stays whole and is followed by a space (so the cut mark `…` never sticks to it): 0 when no column
    /// keeps whole.
    public static func uncuttableWidth(of columns: [TableColumn], widths: [Int], gap: Int = 2) -> Int {
        guard let last = columns.lastIndex(where: \.keepsWhole), last < widths.count else { return 0 }
        return widths[0...last].reduce(0, +) + gap * last + 2
    }
}
