import QueueCore

/// The user-level operations of queuectl, written once for every surface: the CLI commands and the
/// dashboard's routes parse their input, call one of these, and render what it returns. Each operation
/// decides here (with the core's rules) and leaves atomicity to the store.
public struct Operations: Sendable {
    /// The store every operation works on.
    public let store: any JobStore

    public init(store: any JobStore) {
        self.store = store
    }
}
