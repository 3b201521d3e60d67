import Foundation

/// A job's unique name. It also names the job's log file, so the alphabet is restricted
/// to characters that can never form a path outside the logs directory.
public struct JobID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The id as the user wrote it.
    public let rawValue: String

    /// The longest id accepted.
    public static let maximumLength = 128

    /// Validates `rawValue` against the contract's id rules (1–128 of `A-Z a-z 0-9 . _ -`, not starting with `.`).
    public init(_ rawValue: String) throws(QueueError) {
        guard JobID.isValid(rawValue) else {
            throw .invalidInput(
                "invalid job id '\(rawValue.prefix(140))': use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'"
            )
        }
        self.rawValue = rawValue
    }

    /// Wraps a value read back from the store, which only ever holds validated ids.
    public init(trusted rawValue: String) {
        self.rawValue = rawValue
    }

    /// A fresh random id (a lowercase UUID), for jobs that name none.
    public static func generate() -> JobID {
        JobID(trusted: UUID().uuidString.lowercased())
    }

    /// Whether `value` obeys the id rules.
    public static func isValid(_ value: String) -> Bool {
        let bytes = value.utf8
        guard !bytes.isEmpty, bytes.count <= maximumLength, bytes.first != UInt8(ascii: ".") else { return false }
        return bytes.allSatisfy(Self.isAllowed)
    }

    /// Whether `byte` may appear in an id (also used for queue names).
    static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// The smallest text greater, in byte order, than every text that starts with this id: the id with its
    /// last character's code raised by one (ids are ASCII, their last character below `~`). With the id
    /// itself it bounds a prefix search as an index range.
    public var prefixUpperBound: String {
        var bytes = Array(rawValue.utf8)
        if let last = bytes.popLast() { bytes.append(last + 1) }
        return String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { rawValue }

    public static func < (lhs: JobID, rhs: JobID) -> Bool { lhs.rawValue < rhs.rawValue }
}
