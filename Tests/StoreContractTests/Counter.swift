import Synchronization

/// A thread-safe tally for events observed by background tasks.
final class Counter: Sendable {
    private let storage = Atomic<Int>(0)

    /// The current total.
    var value: Int { storage.load(ordering: .relaxed) }

    /// Adds one.
    func increment() { storage.add(1, ordering: .relaxed) }
}
