/// One column of a printed table: its header and how far its cells may be cut when a line would not
/// fit the terminal (see `TableLayout`).
public struct TableColumn {
    /// The header text.
    public var header: String
    /// The width the column is cut to first when the table is too wide (long queue names, errors); nil
    /// when it has no such first cut.
    public var cap: Int?
    /// The narrowest the column may be cut to; nil for columns that are never cut by the layout (states,
    /// counts, times).
    public var minimum: Int?
    /// Whether the column is shown whole even when the line does not fit and is cut at the terminal's
    /// edge (job ids, which people copy from tables and scripts pick with `awk '{print $1}'`): the line is
    /// then cut only after it.
    public var keepsWhole: Bool

    /// A column headed `header`; without `cap` and `minimum` the layout never cuts it.
    public init(_ header: String, cap: Int? = nil, minimum: Int? = nil, keepsWhole: Bool = false) {
        self.header = header
        self.cap = cap
        self.minimum = minimum
        self.keepsWhole = keepsWhole
    }
}
