import QueueCore

/// One configuration value to set, checked against its key's range when made, so a surface can refuse a
/// bad value (exit 2, 400) before it opens the store, and nothing is changed.
public struct ConfigChange: Sendable, Equatable {
    /// The key.
    public let key: QueueConfig.Key
    /// The value as given (`1.5`, `2,64`); known to be valid for `key`.
    public let value: String

    /// The change of `key` to `value`; throws `invalidInput` naming the key and its range when `value`
    /// is not acceptable.
    public init(_ key: QueueConfig.Key, to value: String) throws(QueueError) {
        var probe = QueueConfig()
        try probe.set(key, to: value)
        self.key = key
        self.value = value
    }
}
