/// One cell of a printed table: its text and an optional ANSI colour code.
public struct TableCell {
    /// The visible text.
    public var text: String
    /// An SGR code such as `"31"` (red), or nil for plain text.
    public var color: String?

    /// A cell showing `text`, in `color` when given.
    public init(_ text: String, color: String? = nil) {
        self.text = text
        self.color = color
    }
}
