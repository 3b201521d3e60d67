import Foundation
import Synchronization

/// One long-lived thread that every job process is started from.
///
/// `PR_SET_PDEATHSIG` fires when the *thread* that forked the child exits, not the process: a job
/// started from a pooled thread would be killed when the pool retires that thread. Starting every
/// job from this one thread, which lives as long as the process, ties each job's life to the
/// worker process instead.
final class SpawnThread: Sendable {
    private let requests = Mutex<[@Sendable () -> Void]>([])
    private let pending = DispatchSemaphore(value: 0)

    /// The process-wide spawn thread, started on first use.
    static let shared = SpawnThread()

    private init() {
        let thread = Thread { [self] in
            while true {
                pending.wait()
                let batch = self.requests.withLock { queue -> [@Sendable () -> Void] in
                    let taken = queue
                    queue.removeAll(keepingCapacity: true)
                    return taken
                }
                for request in batch { request() }
            }
        }
        thread.name = "queuectl-spawn"
        thread.start()
    }

    /// Runs `body` on the spawn thread and returns its result.
    func perform<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            requests.withLock { $0.append { continuation.resume(returning: body()) } }
            pending.signal()
        }
    }
}
