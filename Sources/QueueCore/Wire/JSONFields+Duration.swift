extension JSONFields {
    /// A duration field as given: whole seconds, or a text such as `15m` for `DurationValue` to read.
    enum Duration: Equatable {
        case seconds(Int)
        case text(String)
    }

    /// The duration `key` (a schedule's `every`, `timeout`): whole seconds or a duration text; nil when it is
    /// absent or null. The text is left for `DurationValue`, which knows the field's range.
    func duration(_ key: String) throws(QueueError) -> Duration? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let text)?: return .text(text)
        case .number(let number)?:
            guard let seconds = number.integer else {
                throw .invalidInput("\(prefix)'\(key)' must be whole seconds or a duration like 30s, 15m, 2h, got \(number.text.prefix(40))")
            }
            return .seconds(seconds)
        case let other?:
            throw .invalidInput("\(prefix)'\(key)' must be whole seconds or a duration like 30s, 15m, 2h, got \(other.kindName)")
        }
    }
}
