import QueueCore

extension DurationValue {
    /// The seconds of an option that takes a duration (nil when it was not given). Options read it as text,
    /// with `parsing: .unconditional`, so `--timeout -1` reaches this parser and is "out of range" (exit 2)
    /// instead of argument-parser's "missing value".
    static func seconds(
        of text: String?, option: String, maximum: Double, wholeSeconds: Bool = false
    ) throws(QueueError) -> Double? {
        guard let text else { return nil }
        return try DurationValue(parsing: text, option: option, maximum: maximum, wholeSeconds: wholeSeconds).seconds
    }
}
