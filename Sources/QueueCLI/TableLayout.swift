/// Decides the width of each column of a table so its lines fit the terminal.
enum TableLayout {
    /// The widths of `columns` whose widest cells (header included) are `natural`, so that a line of
    /// cells joined by `gap` spaces fits in `available` columns. Columns give way in rounds, each cut only
    /// as far as needed: first the columns with a `cap` (left to right) down to it, then the last column
    /// down to its minimum, then the other columns with a minimum down to it. When even that is not
    /// enough the caller cuts each line at the edge.
    static func widths(of columns: [TableColumn], natural: [Int], available: Int, gap: Int = 2) -> [Int] {
        var widths = natural
        var excess = widths.reduce(0, +) + gap * max(widths.count - 1, 0) - available
        func shrink(_ index: Int, to floor: Int) {
            guard excess > 0, index < widths.count, widths[index] > floor else { return }
            let cut = min(excess, widths[index] - max(floor, 1))
            widths[index] -= cut
            excess -= cut
        }
        for (index, column) in columns.enumerated() {
            if let cap = column.cap { shrink(index, to: cap) }
        }
        if let last = columns.indices.last, let minimum = columns[last].minimum { shrink(last, to: minimum) }
        for index in columns.indices.dropLast() {
            if let minimum = columns[index].minimum { shrink(index, to: minimum) }
        }
        return widths
    }
}
