/// A JSON number as written, with its `Double` value: whole numbers are read exactly from the text
/// (a `Double` cannot hold every 64-bit integer) and messages echo what the user wrote.
struct JSONNumber: Sendable, Equatable {
    /// The literal, e.g. `9007199254740993` or `1.5e3`.
    let text: String
    /// The nearest `Double`.
    let value: Double
    /// Whether the literal has neither a fraction nor an exponent.
    let isInteger: Bool

    /// The value as an `Int` when it is a whole number (`3`, `3.0`, `3e2`), exactly; nil when it has a
    /// fraction or does not fit.
    var integer: Int? {
        if isInteger { return Int(text) }
        guard value.rounded() == value, abs(value) < 9.2e18 else { return nil }
        return Int(value)
    }

    /// Whether the value is a whole number, whatever its size.
    var isWhole: Bool {
        value.rounded() == value
    }
}
