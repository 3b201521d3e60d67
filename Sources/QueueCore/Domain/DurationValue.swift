import Foundation

/// A duration as a user writes it for an option that takes seconds: plain seconds (`90`, `1.5`) or a
/// number with a unit (`500ms`, `30s`, `15m`, `2h`, `7d`). One parser for every such option, so they
/// all accept the same forms and reject the same mistakes with the same messages.
public struct DurationValue: Sendable, Equatable {
    /// The duration in seconds.
    public let seconds: Double

    /// The units a number may carry, with their length in seconds as a fraction (milliseconds divide by
    /// 1000 rather than multiply by 0.001, so `3000ms` is exactly 3 seconds).
    public static let units: [(suffix: String, seconds: Double, per: Double)] = [
        ("ms", 1, 1_000), ("s", 1, 1), ("m", 60, 1), ("h", 3_600, 1), ("d", 86_400, 1),
    ]

    /// The forms accepted, as the messages show them.
    public static let forms = "seconds (90, 1.5) or a number with a unit (500ms, 30s, 15m, 2h, 7d)"

    /// Parses `text` given for `option` (named in every message, e.g. `--timeout`), which accepts
    /// `0...maximum` seconds; with `wholeSeconds`, only whole seconds (a job's timeout is stored as such).
    /// A negative or too large value is "out of range"; anything else that is not a duration says which
    /// forms are accepted. Every error is a usage error (exit 2).
    public init(parsing text: String, option: String, maximum: Double, wholeSeconds: Bool = false) throws(QueueError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let negative = trimmed.hasPrefix("-")
        let body = negative ? String(trimmed.dropFirst()) : trimmed
        guard let magnitude = Self.magnitude(of: body) else {
            throw .invalidInput("\(option) takes \(Self.forms), got '\(text.prefix(60))'")
        }
        let range = "give 0 to \(maximum.plainText) seconds"
        guard !negative || magnitude == 0 else {
            throw .invalidInput("\(option) is out of range: \(trimmed) is negative; \(range)")
        }
        guard magnitude <= maximum else {
            throw .invalidInput("\(option) is out of range: \(trimmed) is more than \(maximum.plainText) seconds; \(range)")
        }
        if wholeSeconds, magnitude.rounded() != magnitude {
            throw .invalidInput(
                "\(option) takes whole seconds, got \(trimmed) (\(magnitude.plainText) s); e.g. \(magnitude.rounded(.up).plainText)s")
        }
        seconds = magnitude
    }

    /// The seconds `body` (no sign) stands for: digits with at most one `.` between digits, then an
    /// optional unit. Nil for anything else (`1e3`, `inf`, `5 m`, `.5`, `5.`).
    private static func magnitude(of body: String) -> Double? {
        let unit = units.first { body.hasSuffix($0.suffix) && body.count > $0.suffix.count }
        // `ms` ends in `s`: `units` lists `ms` first, so `500ms` is milliseconds, not `500m` + `s`.
        let number = unit.map { String(body.dropLast($0.suffix.count)) } ?? body
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let value = Double(number), value.isFinite
        else { return nil }
        let seconds = unit.map { value * $0.seconds / $0.per } ?? value
        return seconds.isFinite ? seconds : nil
    }
}
