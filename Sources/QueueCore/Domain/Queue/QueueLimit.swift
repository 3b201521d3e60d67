/// The rule for a queue's concurrency limit (`queue limit Q N`, `POST /api/queues/{name}/limit`): a whole
/// number from 0 (no limit) up to `maximum`.
public enum QueueLimit {
    /// The largest limit accepted: far above any real number of workers, and within every store's integer.
    public static let maximum = 1_000_000

    /// `value` as a limit, or a usage error saying what is accepted.
    public static func validated(_ value: Int) throws(QueueError) -> Int {
        guard (0...maximum).contains(value) else { throw invalid(String(value)) }
        return value
    }

    /// The limit written as `text` (the command line's N), or a usage error.
    public static func parse(_ text: String) throws(QueueError) -> Int {
        guard let value = Int(text) else { throw invalid(text) }
        return try validated(value)
    }

    private static func invalid(_ text: String) -> QueueError {
        .invalidInput("invalid queue limit '\(text.prefix(40))': give a whole number from 0 (no limit) to \(maximum)")
    }
}
