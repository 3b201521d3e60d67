/// The dashboard's bearer token: generated when the user gives none, compared in constant time.
public enum DashboardToken {
    /// A fresh token: 32 lowercase hex digits (128 bits) drawn from `generator`.
    public static func generate<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<32).map { _ in digits[Int(generator.next() % 16)] })
    }

    /// A fresh token from the system's secure random source.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// Whether `candidate` equals `expected`, taking the same time whatever the first differing byte,
    /// so the token cannot be guessed byte by byte from response times.
    public static func matches(_ candidate: Substring, expected: String) -> Bool {
        let given = Array(candidate.utf8)
        let wanted = Array(expected.utf8)
        var difference = UInt8(truncatingIfNeeded: given.count ^ wanted.count)
        if given.count != wanted.count { difference |= 1 }
        for index in 0..<wanted.count {
            let byte = index < given.count ? given[index] : 0
            difference |= byte ^ wanted[index]
        }
        return difference == 0 && !wanted.isEmpty
    }
}
