#if canImport(Glibc)
    import Glibc
#endif

/// The output of one command, gathered as bytes and written with `write(2)` once the command has succeeded, so
/// that a command that declines halfway has printed nothing. Renders numbers, JSON strings and times by hand:
/// `print`, `String(describing:)` and Foundation's formatters would start the runtime's conformance scan that
/// the fast path exists to avoid.
struct FastPathText {
    /// The bytes to write.
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(4096)
    }

    /// Appends `text` as UTF-8.
    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends `value` in decimal.
    mutating func append(_ value: Int64) {
        append(String(value))
    }

    /// Appends `count` spaces.
    mutating func appendSpaces(_ count: Int) {
        guard count > 0 else { return }
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
    }

    /// Appends `text` as a JSON string literal, escaped exactly as `OrderedJSONEncoder.quoted` does.
    mutating func appendJSONString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case 0x08: append("\\b")
            case 0x0C: append("\\f")
            case 0x00..<0x20:
                append("\\u00")
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends `text` as a JSON string literal, or `null`.
    mutating func appendJSONString(_ text: String?) {
        if let text { appendJSONString(text) } else { append("null") }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Writes everything to `descriptor`. Returns the `errno` of a failed write, nil on success; a closed pipe
    /// counts as success (the reader wanted no more), as it does for `TextSink`.
    func write(to descriptor: Int32) -> Int32? {
        bytes.withUnsafeBytes { buffer -> Int32? in
            guard var pointer = buffer.baseAddress else { return nil }
            var remaining = buffer.count
            while remaining > 0 {
                let written = Glibc.write(descriptor, pointer, remaining)
                if written < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    return code == EPIPE ? nil : code
                }
                remaining -= written
                pointer += written
            }
            return nil
        }
    }
}
