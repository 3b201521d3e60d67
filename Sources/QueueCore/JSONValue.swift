import Foundation

/// A parsed JSON document, kept as values so job input can be checked field by field
/// (unknown fields, exact types) with messages that name the offending field.
enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
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

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Order matters: JSONDecoder refuses a number as Bool and a boolean as Double, so each value lands in its kind.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses `data`; `hint` adds the advice to use `--command` for a command that only looks like JSON.
    static func parse(_ data: Data, hint: Bool) throws(QueueError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            let advice = hint ? " (to enqueue a command that starts with '{', use --command)" : ""
            throw .invalidInput("invalid JSON: \(describe(error))\(advice)")
        }
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            if let underlying = context.underlyingError {
                let text = "\(underlying)"
                if let range = text.range(of: "NSDebugDescription=") {
                    return String(text[range.upperBound...].prefix { $0 != "}" && $0 != "," })
                        .trimmingCharacters(in: .whitespaces)
                }
                return (underlying as NSError).localizedDescription
            }
            return context.debugDescription
        }
        return "\(error)"
    }
}
