#if canImport(Glibc)
    import Glibc
#endif

/// How long a run took, for people: `0.412s`, `42.1s`, `3m 20s`, `2h 5m` (`show`'s `duration`).
public enum RunDuration {
    /// `seconds` (not negative) in the largest fitting form.
    public static func describe(seconds: Double) -> String {
        switch seconds {
        case ..<10: return fixed(seconds, digits: 3) + "s"
        case ..<60: return fixed(seconds, digits: 1) + "s"
        case ..<3600: return String(Int(seconds) / 60) + "m " + String(Int(seconds) % 60) + "s"
        default: return String(Int(seconds) / 3600) + "h " + String(Int(seconds) % 3600 / 60) + "m"
        }
    }

    /// `value` with `digits` (3 or 1) decimals, rounded by the C library as `printf("%.3f")` rounds.
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
