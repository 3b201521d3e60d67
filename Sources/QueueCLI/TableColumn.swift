/// One column of a printed table: its header and how far its cells may be cut when a line would not
/// fit the terminal (see `TableLayout`).
struct TableColumn {
    /// The header text.
    var header: String
    /// The width the column is cut to first when the table is too wide (long ids, queue names); nil when
    /// it has no such first cut.
    var cap: Int?
    /// The narrowest the column may be cut to; nil for columns that are never cut (states, counts, times).
    var minimum: Int?

    /// A column headed `header`; without `cap` and `minimum` it is never cut.
    init(_ header: String, cap: Int? = nil, minimum: Int? = nil) {
        self.header = header
        self.cap = cap
        self.minimum = minimum
    }
}
