#if canImport(Glibc)
    import Glibc
#endif

/// Threads on which a call may block without holding up any other task: a worker slot's own thread, which
/// starts and waits for the slot's job processes and runs the slot's task in between (`JobProcessThread` in
/// QueueWorker). A `DedicatedThreadPreference` store answers synchronously on such a thread.
public enum DedicatedThread {
    /// The per-thread marker that `isCurrent` reads.
    private static let marker: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Whether the calling thread was marked dedicated (blocking on it is allowed).
    public static var isCurrent: Bool {
        pthread_getspecific(marker) != nil
    }

    /// Marks the calling thread dedicated, for as long as it lives: call it first thing on a thread of one's own.
    public static func markCurrent() {
        _ = pthread_setspecific(marker, UnsafeRawPointer(bitPattern: 1))
    }
}
