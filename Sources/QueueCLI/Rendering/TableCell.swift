/// One cell of a printed table: its text and an optional ANSI colour code.
struct TableCell {
    /// The visible text.
    var text: String
    /// An SGR code such as `"31"` (red), or nil for plain text.
    var color: String?

    init(_ text: String, color: String? = nil) {
        self.text = text
        self.color = color
    }
}
