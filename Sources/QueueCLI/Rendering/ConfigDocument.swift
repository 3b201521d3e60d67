import QueueCore

/// The JSON form of the configuration (`config list --json`): keys in their documented order,
/// whole numbers without a fraction (`"backoff_base":2`, not `2.0`), the exit code list as an array of integers.
struct ConfigDocument: Encodable {
    /// The configuration to render.
    let config: QueueConfig

    private struct KeyName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: KeyName.self)
        for key in QueueConfig.Key.allCases {
            switch config.jsonValue(of: key) {
            case .number(let number):
                // OrderedJSONEncoder writes whole doubles without a fraction.
                try container.encode(number, forKey: KeyName(stringValue: key.rawValue))
            case .integers(let integers):
                try container.encode(integers, forKey: KeyName(stringValue: key.rawValue))
            }
        }
    }
}
