#if canImport(Glibc)
    import Glibc
#endif

/// The contract's instant text, `2026-11-23T10:30:00Z` with `.mmm` only when the instant has milliseconds, from
/// whole milliseconds since the epoch. Glibc only, so the start-up fast path and `QueueCore` render one way.
public enum ISOTimestamp {
    /// Renders `milliseconds` since the epoch.
    public static func format(milliseconds: Int64) -> String {
        var seconds = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
        let fraction = Int(milliseconds - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        // Digits by hand: `String(format:)` cost more than the rest of a log header (one per job run).
        var text = padded(Int(parts.tm_year) + 1900, 4) + "-" + padded(Int(parts.tm_mon) + 1, 2) + "-"
        text += padded(Int(parts.tm_mday), 2) + "T" + padded(Int(parts.tm_hour), 2) + ":"
        text += padded(Int(parts.tm_min), 2) + ":" + padded(Int(parts.tm_sec), 2)
        return fraction == 0 ? text + "Z" : text + "." + padded(fraction, 3) + "Z"
    }

    /// `value` (not negative) in decimal, zero-padded to at least `width` digits.
    public static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
