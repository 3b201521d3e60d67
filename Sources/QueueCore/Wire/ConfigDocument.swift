/// The contract's JSON form of the configuration (`config list --json`): keys in their documented order,
/// whole numbers without a fraction (`"backoff_base":2`, not `2.0`), the exit code list as an array of integers.
public struct ConfigDocument: Encodable, Sendable {
    /// The configuration to render.
    public let config: QueueConfig

    public init(config: QueueConfig) {
        self.config = config
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DocumentKey.self)
        for key in QueueConfig.Key.allCases {
            switch config.jsonValue(of: key) {
            case .number(let number):
                // OrderedJSONEncoder writes whole doubles without a fraction.
                try container.encode(number, forKey: DocumentKey(key.rawValue))
            case .integers(let integers):
                try container.encode(integers, forKey: DocumentKey(key.rawValue))
            }
        }
    }
}
