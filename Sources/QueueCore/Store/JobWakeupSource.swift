/// An optional power: a store that can wake idle workers as soon as something becomes claimable
/// (a new job, a retry, a stop request), instead of waiting for the next poll.
public protocol JobWakeupSource: Sendable {
    /// A stream that yields whenever claimable work or a stop request may have appeared.
    func wakeups() -> AsyncStream<Void>
}
