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
        // Written into one buffer: every run's log header and end line carry an instant, and building the text
        // from small strings cost a worker more than the rest of both lines.
        let year = Int(parts.tm_year) + 1900
        return String(unsafeUninitializedCapacity: 32) { buffer in
            var end = 0
            // A wider value keeps its digits; only a year before 1 BC is negative.
            func put(_ signed: Int, _ width: Int) {
                if signed < 0 {
                    buffer[end] = UInt8(ascii: "-")
                    end += 1
                }
                let value = signed.magnitude
                var count = 1
                var rest = value / 10
                while rest > 0 {
                    count += 1
                    rest /= 10
                }
                let digits = Swift.max(count, width)
                var remaining = value
                for index in stride(from: end + digits - 1, through: end, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
                    remaining /= 10
                }
                end += digits
            }
            func put(_ character: Unicode.Scalar) {
                buffer[end] = UInt8(ascii: character)
                end += 1
            }
            put(year, 4)
            put("-")
            put(Int(parts.tm_mon) + 1, 2)
            put("-")
            put(Int(parts.tm_mday), 2)
            put("T")
            put(Int(parts.tm_hour), 2)
            put(":")
            put(Int(parts.tm_min), 2)
            put(":")
            put(Int(parts.tm_sec), 2)
            if fraction != 0 {
                put(".")
                put(fraction, 3)
            }
            put("Z")
            return end
        }
    }
}
