import Foundation

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

extension QueueLimit {
    /// The limit in a request body `{"limit": N}` (`POST /api/queues/{name}/limit`): exactly that one field, a
    /// whole number in range; anything else is a usage error naming what was wrong.
    public static func parse(body: Data) throws(QueueError) -> Int {
        let document = try JSONValue.parse(body, hint: false)
        guard case .object(let fields) = document else {
            throw .invalidInput("the body must be a JSON object {\"limit\": N}, not \(document.kindName)")
        }
        if let unknown = fields.keys.sorted().first(where: { $0 != "limit" }) {
            throw .invalidInput("unknown field '\(unknown.prefix(40))': the body is {\"limit\": N}")
        }
        guard let value = fields["limit"] else { throw .invalidInput("the body needs \"limit\": N (0 = no limit)") }
        guard case .number(let number) = value, let limit = number.integer else {
            let text: String = if case .number(let number) = value { number.text } else { value.kindName }
            throw invalid(text)
        }
        return try validated(limit)
    }
}
