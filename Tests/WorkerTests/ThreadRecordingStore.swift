import Foundation
import QueueCore
import QueueTestSupport
import Synchronization

/// A store that answers on the calling thread (`DedicatedThreadPreference`, as SQLite does) and records, for
/// every run end written to it, which slot wrote it from which thread, and whether that thread was a
/// dedicated one. Wake-ups are forwarded; everything else as `ForwardingJobStore` does.
final class ThreadRecordingStore: ForwardingJobStore, JobWakeupSource, DedicatedThreadPreference {
    /// One `recordResult` call.
    struct Call: Sendable {
        var worker: String
        var thread: Int32?
        var dedicated: Bool
    }

    let inner: any JobStore
    private let recorded = Mutex<[Call]>([])

    init(_ inner: any JobStore) {
        self.inner = inner
    }

    /// The calls so far, in order.
    var calls: [Call] { recorded.withLock { $0 } }

    func recordResult(_ result: RunResult, of claim: JobClaim, thenClaimFrom queues: [String]?) async throws
        -> RecordedResult
    {
        let call = Call(worker: claim.worker, thread: currentThreadID(), dedicated: DedicatedThread.isCurrent)
        recorded.withLock { $0.append(call) }
        return try await inner.recordResult(result, of: claim, thenClaimFrom: queues)
    }

    func wakeups() -> AsyncStream<Void> {
        (inner as? any JobWakeupSource)?.wakeups() ?? AsyncStream { _ in }
    }
}
