import Foundation

/// The queue's tunables, shared by every process that uses the store (`config set` reaches
/// running workers because they re-read it). Defaults and ranges are the contract's.
public struct QueueConfig: Sendable, Equatable {
    /// Retries after the first run, for jobs that name none.
    public var maxRetries: Int = 3
    /// Backoff delay base in seconds: the n-th failure waits `backoffBase^n` seconds.
    public var backoffBase: Double = 2
    /// Cap on one backoff delay, in seconds.
    public var backoffMax: Double = 3600
    /// Seconds a run may take, for jobs that name none; 0 means no limit.
    public var jobTimeout: Int = 0
    /// How often an idle worker looks for due jobs when nothing wakes it.
    public var pollIntervalMilliseconds: Int = 500
    /// The poll intervals accepted, in milliseconds (`poll_interval_ms`, `worker start --poll-interval`).
    public static let pollIntervalRange = 10...600_000
    /// Seconds without a heartbeat after which a worker counts as lost.
    public var leaseTimeout: Int = 30
    /// Seconds a completed job is kept before workers prune it; 0 = forever.
    public var retentionCompleted: Int = 604_800
    /// Seconds a cancelled job is kept before workers prune it; 0 = forever.
    public var retentionCancelled: Int = 604_800
    /// Seconds a dead job is kept before workers prune it; 0 = forever (the DLQ waits for a person).
    public var retentionDead: Int = 0
    /// The retention periods accepted, in seconds (0 = forever; at most 100 years).
    public static let retentionRange = 0...3_153_600_000
    /// Exit codes after which a job goes straight to `dead`, whatever retries are left (sorted, no repeats).
    public var noRetryExitCodes: [Int32] = []
    /// A run exiting with it is snoozed (not counted as an attempt, due again after `snoozeDelay`); 0 = off.
    public var snoozeExitCode: Int32 = 75
    /// Seconds until a snoozed job is due again.
    public var snoozeDelay: Int = 10
    /// Snoozes a job may take; once it has had this many, a further snooze counts as a failed run.
    public var maxSnoozes: Int = 100

    /// The exit codes an exit-code rule may name: the failures a process can report (0 is a success).
    public static let failureExitCodes: ClosedRange<Int32> = 1...255

    public init() {}

    /// The configuration keys, in the order `config list` shows them.
    public enum Key: String, CaseIterable, Sendable {
        case maxRetries = "max_retries"
        case backoffBase = "backoff_base"
        case backoffMax = "backoff_max"
        case jobTimeout = "job_timeout"
        case pollIntervalMilliseconds = "poll_interval_ms"
        case leaseTimeout = "lease_timeout"
        case retentionCompleted = "retention_completed"
        case retentionCancelled = "retention_cancelled"
        case retentionDead = "retention_dead"
        case noRetryExitCodes = "no_retry_exit_codes"
        case snoozeExitCode = "snooze_exit_code"
        case snoozeDelay = "snooze_delay"
        case maxSnoozes = "max_snoozes"

        /// Parses a key in snake_case or kebab-case.
        public init(parsing text: String) throws(QueueError) {
            let normalized = text.lowercased().replacingOccurrences(of: "-", with: "_")
            guard let key = Key(rawValue: normalized) else {
                throw .invalidInput(
                    "unknown config key '\(text)': use one of \(Key.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self = key
        }

        /// A one-line explanation for help text.
        public var summary: String {
            switch self {
            case .maxRetries: "retries after the first run, for jobs that name none (integer >= 0)"
            case .backoffBase: "backoff delay base in seconds, delay = base^attempts (number >= 1)"
            case .backoffMax: "cap on one backoff delay in seconds (number >= 0)"
            case .jobTimeout: "seconds a run may take, for jobs that name none; 0 = no limit (integer >= 0)"
            case .pollIntervalMilliseconds: "how often an idle worker polls, in ms (integer 10...600000)"
            case .leaseTimeout: "seconds without a heartbeat before a worker counts as lost (integer 3...86400)"
            case .retentionCompleted: "seconds a completed job is kept before workers delete it; 0 = forever"
            case .retentionCancelled: "seconds a cancelled job is kept before workers delete it; 0 = forever"
            case .retentionDead: "seconds a dead job is kept before workers delete it; 0 = forever"
            case .noRetryExitCodes: "exit codes after which a job goes straight to dead, e.g. 2,64 (empty = none)"
            case .snoozeExitCode: "a run exiting with it is snoozed, not counted as an attempt; 0 = off (integer 0...255)"
            case .snoozeDelay: "seconds until a snoozed job is due again (integer 0...86400)"
            case .maxSnoozes: "snoozes after which a snooze counts as a failed run (integer 0...1000000)"
            }
        }
    }

    /// The value of `key`, rendered as `config get` prints it (no trailing `.0`).
    public func value(of key: Key) -> String {
        switch key {
        case .maxRetries: String(maxRetries)
        case .backoffBase: backoffBase.plainText
        case .backoffMax: backoffMax.plainText
        case .jobTimeout: String(jobTimeout)
        case .pollIntervalMilliseconds: String(pollIntervalMilliseconds)
        case .leaseTimeout: String(leaseTimeout)
        case .retentionCompleted: String(retentionCompleted)
        case .retentionCancelled: String(retentionCancelled)
        case .retentionDead: String(retentionDead)
        case .noRetryExitCodes: noRetryExitCodes.map(String.init).joined(separator: ",")
        case .snoozeExitCode: String(snoozeExitCode)
        case .snoozeDelay: String(snoozeDelay)
        case .maxSnoozes: String(maxSnoozes)
        }
    }

    /// The value of `key` as `config list --json` gives it: a number, or for the exit code list an array of
    /// integers.
    public func jsonValue(of key: Key) -> JSONForm {
        switch key {
        case .maxRetries: .number(Double(maxRetries))
        case .backoffBase: .number(backoffBase)
        case .backoffMax: .number(backoffMax)
        case .jobTimeout: .number(Double(jobTimeout))
        case .pollIntervalMilliseconds: .number(Double(pollIntervalMilliseconds))
        case .leaseTimeout: .number(Double(leaseTimeout))
        case .retentionCompleted: .number(Double(retentionCompleted))
        case .retentionCancelled: .number(Double(retentionCancelled))
        case .retentionDead: .number(Double(retentionDead))
        case .noRetryExitCodes: .integers(noRetryExitCodes.map(Int.init))
        case .snoozeExitCode: .number(Double(snoozeExitCode))
        case .snoozeDelay: .number(Double(snoozeDelay))
        case .maxSnoozes: .number(Double(maxSnoozes))
        }
    }

    /// The JSON shape of one configuration value.
    public enum JSONForm: Sendable, Equatable {
        /// A number (whole numbers are written without a fraction).
        case number(Double)
        /// An array of integers.
        case integers([Int])
    }

    /// The value of `key` as a number; nil for the exit code list, which is no number (see `jsonValue(of:)`).
    public func number(of key: Key) -> Double? {
        guard case .number(let number) = jsonValue(of: key) else { return nil }
        return number
    }

    /// Sets `key` from user text, checking type and range; throws `.invalidInput` naming the rule.
    /// Numbers are plain decimals (`2`, `1.5`): Swift's own parsing would also take `0x10`, `1e3` or `inf`.
    public mutating func set(_ key: Key, to text: String) throws(QueueError) {
        try set(key, to: text, decimalOnly: true)
    }

    private mutating func set(_ key: Key, to text: String, decimalOnly: Bool) throws(QueueError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch key {
        case .maxRetries: maxRetries = try Self.integer(trimmed, key: key, in: 0...1_000_000)
        case .backoffBase: backoffBase = try Self.number(trimmed, key: key, atLeast: 1, decimalOnly: decimalOnly)
        case .backoffMax: backoffMax = try Self.number(trimmed, key: key, atLeast: 0, decimalOnly: decimalOnly)
        case .jobTimeout: jobTimeout = try Self.integer(trimmed, key: key, in: 0...31_536_000)
        case .pollIntervalMilliseconds:
            pollIntervalMilliseconds = try Self.integer(trimmed, key: key, in: Self.pollIntervalRange)
        case .leaseTimeout: leaseTimeout = try Self.integer(trimmed, key: key, in: 3...86_400)
        case .retentionCompleted: retentionCompleted = try Self.integer(trimmed, key: key, in: Self.retentionRange)
        case .retentionCancelled: retentionCancelled = try Self.integer(trimmed, key: key, in: Self.retentionRange)
        case .retentionDead: retentionDead = try Self.integer(trimmed, key: key, in: Self.retentionRange)
        case .noRetryExitCodes: noRetryExitCodes = try Self.exitCodeList(trimmed, key: key)
        case .snoozeExitCode: snoozeExitCode = Int32(try Self.integer(trimmed, key: key, in: 0...255))
        case .snoozeDelay: snoozeDelay = try Self.integer(trimmed, key: key, in: 0...86_400)
        case .maxSnoozes: maxSnoozes = try Self.integer(trimmed, key: key, in: 0...1_000_000)
        }
    }

    /// Parses a comma-separated list of exit codes from 1 to 255 (`2,64`; spaces allowed; empty: none) into
    /// sorted codes without repeats. 0 is refused: it is a success, which no rule turns into a failure.
    static func exitCodeList(_ text: String, key: Key) throws(QueueError) -> [Int32] {
        guard !text.isEmpty else { return [] }
        var codes = Set<Int32>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let code = item.trimmingCharacters(in: .whitespaces)
            guard code.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int32(code),
                failureExitCodes.contains(value)
            else {
                throw .invalidInput(
                    "invalid value '\(text.prefix(80))' for \(key.rawValue): expected exit codes from 1 to 255 separated by commas, like 2,64 (or '' for none)")
            }
            codes.insert(value)
        }
        return codes.sorted()
    }

    /// Builds a configuration from stored `key → text` pairs; unknown or unreadable entries keep their defaults.
    /// Stored numbers were written by `value(of:)`, which may use an exponent (`1e-05`), so they are read
    /// with Swift's own number parsing.
    public init(stored: [String: String]) {
        self.init()
        for (name, text) in stored {
            guard let key = Key(rawValue: name) else { continue }
            try? set(key, to: text, decimalOnly: false)
        }
    }

    /// Whether `text` is an optionally signed decimal number with an optional fraction (`2`, `-1`, `1.5`, `.5`).
    private static func isPlainDecimal(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let isDigits = { (part: Substring) in part.allSatisfy { $0.isASCII && $0.isNumber } }
        return parts.allSatisfy(isDigits) && parts.contains { !$0.isEmpty }
    }

    private static func integer(_ text: String, key: Key, in range: ClosedRange<Int>) throws(QueueError) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw .invalidInput(
                "invalid value '\(text)' for \(key.rawValue): expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    private static func number(_ text: String, key: Key, atLeast minimum: Double, decimalOnly: Bool)
        throws(QueueError) -> Double
    {
        guard !decimalOnly || isPlainDecimal(text), let value = Double(text), value.isFinite, value >= minimum,
            value <= 1e9
        else {
            throw .invalidInput(
                "invalid value '\(text)' for \(key.rawValue): expected a number from \(minimum.plainText) to 1000000000")
        }
        return value
    }
}
