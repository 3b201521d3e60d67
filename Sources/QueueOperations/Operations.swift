import QueueCore

/// The user-level operations of queuectl, written once for every surface: the CLI commands and the
/// dashboard's routes parse their input, call one of these, and render what it returns. Each operation
/// decides here (with the core's rules) and leaves atomicity to the store.
///
/// One operation (or one family of them) per file, as an extension: `Operations+Enqueue.swift`,
/// `Operations+Workers.swift`, … A new operation is one new file here, then one command and/or one route.
public struct Operations: Sendable {
    /// The store every operation works on.
    public let store: any JobStore
    /// Where `now` comes from (enqueue times, worker leases, retries).
    public let clock: any TimeSource

    /// Operations on `store`, reading the time from `clock`.
    public init(store: any JobStore, clock: any TimeSource = SystemTimeSource()) {
        self.store = store
        self.clock = clock
    }
}
