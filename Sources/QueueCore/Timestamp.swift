import Foundation

/// ISO-8601 UTC rendering and parsing of instants, as the contract's JSON uses them.
/// Stores keep instants as whole milliseconds since the epoch, so a value round-trips exactly.
public enum Timestamp {
    /// Renders `date` as `2026-11-23T10:30:00Z`, adding `.mmm` only when the instant has milliseconds,
    /// so a `run_at` the user gave in whole seconds is echoed back as written.
    public static func format(_ date: Date) -> String {
        let millis = milliseconds(date)
        var seconds = time_t(floorDiv(millis, 1000))
        let fraction = Int(millis - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let base = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return fraction == 0 ? base + "Z" : base + String(format: ".%03dZ", fraction)
    }

    /// Parses an ISO-8601 date-time with a `Z` or `±hh:mm` offset and optional fractional seconds.
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date.ISO8601FormatStyle(timeZone: .gmt).parse(trimmed) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(trimmed)
    }

    /// The instant as whole milliseconds since 1970 (the stores' representation).
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The instant `millis` milliseconds after 1970.
    public static func date(milliseconds millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    private static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}
