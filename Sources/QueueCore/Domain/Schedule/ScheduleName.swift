/// A schedule's unique name. Its jobs are named `NAME.<tick>`, so it obeys the job id rules and leaves
/// room in the 128-character id for the tick's 17 characters (`.20261206T050000Z`).
public struct ScheduleName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The name as the user wrote it.
    public let rawValue: String

    /// The longest name accepted: a job id's limit less the tick suffix.
    public static let maximumLength = JobID.maximumLength - ScheduleTick.jobIDSuffixLength

    /// Validates `rawValue`: 1 to 111 of `A-Z a-z 0-9 . _ -`, not starting with `.` (usage error otherwise).
    public init(_ rawValue: String) throws(QueueError) {
        let bytes = rawValue.utf8
        guard bytes.count <= Self.maximumLength else {
            throw .invalidInput(
                "schedule name '\(rawValue.prefix(40))…' is \(bytes.count) characters; at most \(Self.maximumLength) fit, since its jobs' ids add '.YYYYMMDDTHHMMSSZ'"
            )
        }
        guard !bytes.isEmpty, bytes.first != UInt8(ascii: "."), bytes.allSatisfy(JobID.isAllowed) else {
            throw .invalidInput(
                "invalid schedule name '\(rawValue.prefix(140))': use 1 to \(Self.maximumLength) letters, digits, '.', '_' or '-', not starting with '.'"
            )
        }
        self.rawValue = rawValue
    }

    /// Wraps a value read back from the store, which only ever holds validated names.
    public init(trusted rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: ScheduleName, rhs: ScheduleName) -> Bool { lhs.rawValue < rhs.rawValue }
}
