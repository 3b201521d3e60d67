import Foundation

/// A strict RFC 8259 JSON parser for job input, written here because Foundation's decoders cannot give
/// what the contract asks of bad input: they take a duplicated key silently (`{"command":"a","command":"b"}`
/// keeps one of them), do not report where the text went wrong on Linux, and turn every number into a
/// `Double` (so `9007199254740993` becomes `9007199254740992`). This one refuses duplicate keys, says at
/// which line and column a document breaks and why, keeps each number's literal text, and bounds nesting
/// (deeply nested input cannot exhaust the stack).
struct JSONParser {
    /// Why and where the text is not acceptable JSON.
    struct Failure: Error, Equatable {
        /// What is wrong, without the position (`unexpected '}'`).
        let reason: String
        /// Whether the text is well-formed apart from an object repeating `key`.
        let duplicateKey: String?
        /// The 1-based line of the offending byte.
        let line: Int
        /// The 1-based column (in characters) of the offending byte on its line.
        let column: Int
        /// Whether the whole text is one line (the position is then given as a column alone).
        let singleLine: Bool
        /// In JSON lines, the line on which the broken value starts, when it is not the first value.
        var valueLine: Int?

        /// `at line 2, column 7`, or `at column 7` for a one-line text.
        var position: String {
            singleLine ? "at column \(column)" : "at line \(line), column \(column)"
        }
    }

    /// A top-level value and the line it starts on.
    struct Document {
        /// The parsed value.
        let value: JSONValue
        /// The 1-based line of its first character.
        let line: Int
    }

    /// How deep arrays and objects may nest (a job is two levels deep).
    static let maximumDepth = 512

    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0

    private init(_ data: Data) {
        var bytes = [UInt8](data)
        // A UTF-8 byte order mark, as some editors write it, is not part of the document.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.bytes = bytes
    }

    /// Parses `data` as exactly one JSON value.
    static func parse(_ data: Data) throws(Failure) -> JSONValue {
        var parser = JSONParser(data)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.position == parser.bytes.count else {
            throw parser.failure("unexpected \(parser.describeCurrent()) after the JSON value")
        }
        return value
    }

    /// Parses `data` as one or more JSON values, each after the previous one on a new line (JSON lines,
    /// where a value may also span several lines). Blank lines are skipped.
    static func parseSequence(_ data: Data) throws(Failure) -> [Document] {
        var parser = JSONParser(data)
        var documents: [Document] = []
        // Lines are counted as the parser advances (counting from the start for every value would make a
        // batch of n lines cost n² steps).
        var line = 1
        var counted = 0
        while true {
            let sawNewline = parser.skipWhitespace()
            guard parser.position < parser.bytes.count else { return documents }
            if !documents.isEmpty, !sawNewline {
                throw parser.failure(
                    "unexpected \(parser.describeCurrent()) after the JSON value (put each job on its own line)")
            }
            line += parser.bytes[counted..<parser.position].count { $0 == 0x0A }
            counted = parser.position
            do {
                documents.append(Document(value: try parser.parseValue(), line: line))
            } catch {
                var failure = error
                if !documents.isEmpty { failure.valueLine = line }
                throw failure
            }
        }
    }

    // MARK: Values

    private mutating func parseValue() throws(Failure) -> JSONValue {
        guard position < bytes.count else { throw endOfInput() }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("unexpected \(describeCurrent())")
        }
    }

    private mutating func parseObject() throws(Failure) -> JSONValue {
        try enter()
        position += 1
        var fields: [String: JSONValue] = [:]
        skipWhitespace()
        if consume(UInt8(ascii: "}")) {
            depth -= 1
            return .object(fields)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw failure("expected a key in double quotes, found \(describeCurrent())")
            }
            let keyStart = position
            let key = try parseString()
            if fields[key] != nil {
                throw failure("duplicate key '\(key)'", at: keyStart, duplicateKey: key)
            }
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { throw failure("expected ':' after the key, found \(describeCurrent())") }
            skipWhitespace()
            fields[key] = try parseValue()
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "}")) { break }
            throw failure("expected ',' or '}' in the object, found \(describeCurrent())")
        }
        depth -= 1
        return .object(fields)
    }

    private mutating func parseArray() throws(Failure) -> JSONValue {
        try enter()
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if consume(UInt8(ascii: "]")) {
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "]")) { break }
            throw failure("expected ',' or ']' in the array, found \(describeCurrent())")
        }
        depth -= 1
        return .array(elements)
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure("arrays and objects nest deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func parseLiteral(_ word: String, _ value: JSONValue) throws(Failure) -> JSONValue {
        let expected = Array(word.utf8)
        guard bytes.count - position >= expected.count, Array(bytes[position..<position + expected.count]) == expected
        else { throw failure("unexpected \(describeCurrent())") }
        position += expected.count
        return value
    }

    private mutating func parseNumber() throws(Failure) -> JSONNumber {
        let start = position
        func isDigit(_ index: Int) -> Bool {
            index < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index])
        }
        func digits() -> Int {
            let first = position
            while isDigit(position) { position += 1 }
            return position - first
        }
        _ = consume(UInt8(ascii: "-"))
        if consume(UInt8(ascii: "0")) {
            if isDigit(position) { throw failure("a number cannot have a leading zero", at: start) }
        } else if digits() == 0 {
            throw failure("invalid number: expected a digit, found \(describeCurrent())")
        }
        var isInteger = true
        if consume(UInt8(ascii: ".")) {
            isInteger = false
            guard digits() > 0 else { throw failure("invalid number: expected a digit after '.', found \(describeCurrent())") }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            guard digits() > 0 else { throw failure("invalid number: expected a digit in the exponent, found \(describeCurrent())") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw failure("the number \(text.prefix(40)) is out of range", at: start) }
        return JSONNumber(text: text, value: value, isInteger: isInteger)
    }

    private mutating func parseString() throws(Failure) -> String {
        let start = position
        position += 1
        var utf8: [UInt8] = []
        while true {
            guard position < bytes.count else { throw failure("unterminated string (a closing '\"' is missing)", at: start) }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw failure("the string is not valid UTF-8", at: start)
                }
                return text
            case UInt8(ascii: "\\"):
                position += 1
                try parseEscape(into: &utf8)
            case 0x00..<0x20:
                throw failure("a control character (\(Self.codePoint(UInt32(byte)))) must be escaped in a string")
            default:
                utf8.append(byte)
                position += 1
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(Failure) {
        guard position < bytes.count else { throw endOfInput() }
        let escape = bytes[position]
        position += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
            UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let byte = simple[escape] {
            utf8.append(byte)
            return
        }
        guard escape == UInt8(ascii: "u") else {
            position -= 2
            throw failure("invalid escape \\\(describeByte(escape)) in a string")
        }
        let escapeStart = position - 2
        var scalar = try hexQuad()
        if (0xD800...0xDBFF).contains(scalar) {
            guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")) else {
                throw failure("invalid \\u escape: a lone surrogate", at: escapeStart)
            }
            let low = try hexQuad()
            guard (0xDC00...0xDFFF).contains(low) else { throw failure("invalid \\u escape: a lone surrogate", at: escapeStart) }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw failure("invalid \\u escape: a lone surrogate", at: escapeStart)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw failure("invalid \\u escape", at: escapeStart) }
        utf8.append(contentsOf: Array(String(Character(unicode)).utf8))
    }

    private mutating func hexQuad() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count, let digit = Self.hexValue(bytes[position]) else {
                throw failure("invalid \\u escape: expected 4 hexadecimal digits, found \(describeCurrent())")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    // MARK: Scanning

    /// Skips JSON whitespace; returns whether it crossed a line break.
    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        var sawNewline = false
        while position < bytes.count {
            switch bytes[position] {
            case 0x0A: sawNewline = true
            case 0x20, 0x09, 0x0D: break
            default: return sawNewline
            }
            position += 1
        }
        return sawNewline
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    // MARK: Errors

    private func endOfInput() -> Failure {
        failure("unexpected end of input (is a closing quote, bracket or brace missing?)")
    }

    private func failure(_ reason: String, at offset: Int? = nil, duplicateKey: String? = nil) -> Failure {
        let (line, column) = location(of: offset ?? position)
        return Failure(
            reason: reason, duplicateKey: duplicateKey, line: line, column: column,
            singleLine: !bytes.dropLast(bytes.last == 0x0A ? 1 : 0).contains(0x0A))
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    private func location(of offset: Int) -> (line: Int, column: Int) {
        let end = min(offset, bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<end where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return (line, String(decoding: bytes[lineStart..<end], as: UTF8.self).count + 1)
    }

    /// The character at the current position, for messages: `'x'`, or its code point when not printable.
    private func describeCurrent() -> String {
        guard position < bytes.count else { return "the end of the input" }
        let rest = bytes[position..<min(position + 4, bytes.count)]
        guard let character = String(decoding: rest, as: UTF8.self).first else { return "the end of the input" }
        let scalar = character.unicodeScalars.first.map(\.value) ?? 0
        if scalar < 0x20 || (0x7F...0x9F).contains(scalar) || scalar == 0xFFFD { return Self.codePoint(scalar) }
        return "'\(character)'"
    }

    private func describeByte(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : Self.codePoint(UInt32(byte))
    }

    private static func codePoint(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(4 - hex.count, 0)) + hex
    }
}
