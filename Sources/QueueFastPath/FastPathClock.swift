#if canImport(Glibc)
    import Glibc
#endif

/// The system clock in whole milliseconds since 1970, as the stores keep instants.
enum FastPathClock {
    /// Now, rounded to the nearest millisecond as `Timestamp.milliseconds` rounds.
    static func milliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + (Int64(now.tv_nsec) + 500_000) / 1_000_000
    }
}
