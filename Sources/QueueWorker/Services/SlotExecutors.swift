import QueueCore

/// Where each slot of a worker process runs its jobs: for a store with executors of its own
/// (`TaskExecutorPreference`, PostgreSQL's event loops) those, spread over the slots; for a store that answers
/// on the calling thread (`DedicatedThreadPreference`, SQLite) a thread per slot, which also starts and watches
/// the slot's processes (`JobProcessThread`), started here and stopped by `stop()`; otherwise anywhere (Swift's
/// shared pool).
struct SlotExecutors: Sendable {
    private let executors: [String: any TaskExecutor]
    private let dedicated: [JobProcessThread]

    /// The executors of `slots` (worker ids) for `store`.
    init(store: any JobStore, slots: [String]) {
        if let preference = store as? any TaskExecutorPreference {
            executors = Dictionary(
                slots.enumerated().compactMap { index, slot in
                    preference.preferredTaskExecutor(forTask: index).map { (slot, $0) }
                },
                uniquingKeysWith: { first, _ in first })
            dedicated = []
        } else if store is any DedicatedThreadPreference {
            let threads = slots.map { _ in JobProcessThread(name: "queuectl-slot") }
            executors = Dictionary(zip(slots, threads.map { $0 as any TaskExecutor }), uniquingKeysWith: { first, _ in first })
            dedicated = threads
        } else {
            executors = [:]
            dedicated = []
        }
    }

    /// The executor `slot`'s runs prefer (nil: anywhere).
    func executor(for slot: String?) -> (any TaskExecutor)? {
        slot.flatMap { executors[$0] }
    }

    /// Ends the threads started for the slots; call it once no slot runs any more.
    func stop() {
        for thread in dedicated { thread.stop() }
    }
}
