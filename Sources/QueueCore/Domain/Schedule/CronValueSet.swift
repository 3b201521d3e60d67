/// The values one cron field allows (each below 64), as bits, so a search can jump to the next or
/// previous allowed value in one step instead of trying each.
struct CronValueSet: Equatable, Sendable {
    /// Bit `n` set when value `n` is allowed.
    private(set) var bits: UInt64 = 0

    /// No value.
    init() {}

    /// Whether `value` is allowed.
    func contains(_ value: Int) -> Bool {
        (0..<64).contains(value) && bits & (1 << UInt64(value)) != 0
    }

    /// Allows `value` (0–63).
    mutating func insert(_ value: Int) {
        bits |= 1 << UInt64(value)
    }

    /// Disallows `value` (0–63).
    mutating func remove(_ value: Int) {
        bits &= ~(1 << UInt64(value))
    }

    /// Allows every value `other` allows.
    mutating func formUnion(_ other: CronValueSet) {
        bits |= other.bits
    }

    /// The smallest allowed value that is at least `value`.
    func first(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let candidates = bits & (UInt64.max << UInt64(max(value, 0)))
        return candidates == 0 ? nil : candidates.trailingZeroBitCount
    }

    /// The largest allowed value that is at most `value`.
    func last(atOrBefore value: Int) -> Int? {
        guard value >= 0 else { return nil }
        let candidates = value >= 63 ? bits : bits & ((1 << UInt64(value + 1)) - 1)
        return candidates == 0 ? nil : 63 - candidates.leadingZeroBitCount
    }

    /// The allowed values in ascending order.
    var values: [Int] {
        (0..<64).filter(contains)
    }
}
