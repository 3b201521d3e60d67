import Foundation

/// A parsed JSON document, kept as values so job input can be checked field by field
/// (unknown fields, exact types) with messages that name the offending field.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The kind of value, as error messages name it.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Parses `data` as one value; `hint` adds the advice to use `--command` for a command that only looks
    /// like JSON.
    static func parse(_ data: Data, hint: Bool) throws(QueueError) -> JSONValue {
        do {
            return try JSONParser.parse(data)
        } catch {
            throw invalid(error, hint: hint)
        }
    }

    /// Parses `data` as one or more values, each on its own line(s) (see `JSONParser.parseSequence`).
    static func parseSequence(_ data: Data) throws(QueueError) -> [JSONParser.Document] {
        do {
            return try JSONParser.parseSequence(data)
        } catch {
            throw invalid(error, hint: false)
        }
    }

    /// The one-line message for a parse failure: what is wrong and where (`at line 2, column 7`).
    private static func invalid(_ failure: JSONParser.Failure, hint: Bool) -> QueueError {
        let prefix = failure.valueLine.map { "line \($0): " } ?? ""
        if let key = failure.duplicateKey {
            return .invalidInput("\(prefix)duplicate field '\(key.prefix(60))' \(failure.position): give each field once")
        }
        let advice = hint ? " (to enqueue a command that starts with '{', use --command)" : ""
        return .invalidInput("\(prefix)invalid JSON: \(failure.reason) \(failure.position)\(advice)")
    }
}
