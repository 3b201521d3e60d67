#if canImport(Glibc)
    import Glibc
#endif
import QueueFormatting

/// Instants (milliseconds since 1970, as the stores keep them) rendered as `Timestamp.format` and `RelativeTime`
/// render them, with the same floating-point steps as Foundation's `Date`, so edge cases round alike.
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

    /// `RelativeTime.describe`: `3s ago`, `in 2m`, `now`.
    static func relative(_ milliseconds: Int64, now: Double) -> String {
        let delta = referenceSeconds(milliseconds) - now
        let magnitude = abs(delta)
        if magnitude < 1 { return "now" }
        let amount: String
        switch magnitude {
        case ..<60: amount = String(Int(magnitude)) + "s"
        case ..<3600: amount = String(Int(magnitude / 60)) + "m"
        case ..<86_400: amount = String(Int(magnitude / 3600)) + "h"
        default: amount = String(Int(magnitude / 86_400)) + "d"
        }
        return delta > 0 ? "in " + amount : amount + " ago"
    }

    /// `Double.plainText`: a whole value without a fraction, any other as Swift writes it.
    static func plainText(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// `Show.describe(duration:)`: `0.412s`, `42.1s`, `3m 20s`, `2h 5m`.
    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<10: return fixed(seconds, digits: 3) + "s"
        case ..<60: return fixed(seconds, digits: 1) + "s"
        case ..<3600: return String(Int(seconds) / 60) + "m " + String(Int(seconds) % 60) + "s"
        default: return String(Int(seconds) / 3600) + "h " + String(Int(seconds) % 3600 / 60) + "m"
        }
    }

    /// `String(format: "%.Nf", value)`, by the C library's own rounding.
    private static func fixed(_ value: Double, digits: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = withVaList([value]) { arguments in
            buffer.withUnsafeMutableBufferPointer { pointer in
                vsnprintf(pointer.baseAddress, pointer.count, digits == 3 ? "%.3f" : "%.1f", arguments)
            }
        }
        guard count > 0 else { return "" }
        return String(decoding: buffer.prefix(Int(count)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
