#if canImport(Glibc)
    import Glibc
#endif
import QueueFormatting

/// Instants (milliseconds since 1970, as the stores keep them) as `Timestamp` and `Date` read them: the contract's
/// text, and seconds with the same floating-point steps as Foundation's `Date`, so relative times and durations
/// round alike on both paths.
enum FastPathTime {
    /// Seconds from 1970 to 2001, `Date`'s reference date.
    private static let referenceOffset = 978_307_200.0

    /// `Timestamp.date(milliseconds:)` as seconds since the reference date (`Date.timeIntervalSinceReferenceDate`).
    static func referenceSeconds(_ milliseconds: Int64) -> Double {
        Double(milliseconds) / 1000 - referenceOffset
    }

    /// Now as seconds since the reference date, as `Date()` reads the clock.
    static func nowReferenceSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) - referenceOffset + 1.0e-9 * Double(now.tv_nsec)
    }

    /// `Timestamp.format`: `2026-11-23T10:30:00Z`, with `.mmm` only when the instant has milliseconds.
    static func format(_ milliseconds: Int64) -> String {
        ISOTimestamp.format(milliseconds: milliseconds)
    }
}
