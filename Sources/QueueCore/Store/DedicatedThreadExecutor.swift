import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A task executor with one thread of its own, on which a call may block without holding up any other task.
///
/// Why: a worker's slot spends its time between its job's process and the store. On Swift's shared pool every
/// SQLite write would hop to GRDB's writer queue and back (two thread wake-ups per job, each a futex wake and a
/// context switch), because blocking a pool thread is not allowed. On a thread of its own, the slot's task
/// writes synchronously (a `DedicatedThreadPreference` store checks `isCurrentThreadDedicated`), so a job
/// costs one wake-up to resume the slot when its process exits and one to start the next process.
///
/// The thread runs until `stop()`; whoever creates one stops it once no task prefers it any more.
public final class DedicatedThreadExecutor: TaskExecutor {
    private let jobs = Mutex<[UnownedJob]>([])
    /// Counts the jobs not yet taken by the thread, plus one once `stop()` was called: the thread ends when a
    /// signal finds no job.
    private let ready = DispatchSemaphore(value: 0)

    /// The per-thread marker that `isCurrentThreadDedicated` reads.
    private static let marker: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Whether the calling thread is the thread of a `DedicatedThreadExecutor` (where blocking is allowed).
    public static var isCurrentThreadDedicated: Bool {
        pthread_getspecific(marker) != nil
    }

    /// Starts the thread, named `name` (at most 15 bytes kept: shown by `top -H` and in `/proc/PID/task/*/comm`).
    public init(name: String) {
        let marker = Self.marker
        let thread = Thread { [self] in
            _ = pthread_setspecific(marker, UnsafeRawPointer(bitPattern: 1))
            nameCurrentThread(name)
            runJobs()
        }
        thread.start()
    }

    /// Queues `job` for the thread.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        ready.signal()
    }

    /// Ends the thread once the jobs queued before this call have run. Jobs queued afterwards never run: call
    /// it once no task prefers this executor.
    public func stop() {
        ready.signal()
    }

    private func runJobs() {
        let executor = asUnownedTaskExecutor()
        while true {
            ready.wait()
            let next = jobs.withLock { jobs -> UnownedJob? in jobs.isEmpty ? nil : jobs.removeFirst() }
            guard let next else { return }
            next.runSynchronously(on: executor)
        }
    }
}
