/// The fields of one JSON object (a job, a schedule), read by type: each wrong type or out-of-range number is a
/// usage error in one line that names the field, after `prefix` (`job 2: `, or nothing). Null is as absent.
struct JSONFields {
    /// The object's fields by key.
    let fields: [String: JSONValue]
    /// What each message starts with: where in the input the object stands.
    var prefix = ""

    /// The string `key`, or nil when it is absent or null.
    func string(_ key: String) throws(QueueError) -> String? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?: throw .invalidInput("\(prefix)'\(key)' must be a string, got \(other.kindName)")
        }
    }

    /// The whole number `key` within ±`JobSpec.integerLimit`, or nil when it is absent or null.
    func integer(_ key: String) throws(QueueError) -> Int? {
        switch fields[key] {
        case nil, .null?: return nil
        case .number(let number)?:
            guard number.isWhole else {
                throw .invalidInput("\(prefix)'\(key)' must be a whole number, got \(number.text.prefix(40))")
            }
            let limit = JobSpec.integerLimit
            guard let value = number.integer, (-limit...limit).contains(value) else {
                throw .invalidInput(
                    "\(prefix)'\(key)' is out of range: expected a whole number from -\(limit) to \(limit), got \(number.text.prefix(40))")
            }
            return value
        case let other?: throw .invalidInput("\(prefix)'\(key)' must be a whole number, got \(other.kindName)")
        }
    }
}
