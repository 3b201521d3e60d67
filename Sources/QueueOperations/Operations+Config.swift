import QueueCore

extension Operations {
    /// The queue's configuration, shared by every process using the store.
    public func configuration() async throws -> QueueConfig {
        try await store.configuration()
    }

    /// The value of `key`, as `config set` takes it.
    public func configurationValue(of key: QueueConfig.Key) async throws -> String {
        try await store.configuration().value(of: key)
    }

    /// Applies `change` (already checked, see `ConfigChange`) for every process using the store; running
    /// workers pick it up without a restart.
    public func setConfiguration(_ change: ConfigChange) async throws {
        var config = try await store.configuration()
        try config.set(change.key, to: change.value)
        try await store.setConfiguration(change.key, to: config)
    }
}
