import Foundation
import QueueCore
import QueueTestSupport
import Synchronization

/// A store that counts the claim attempts workers finish on it (`claimJobs` calls that returned, found
/// something or not), so a test can wait until a worker has looked, instead of sleeping and hoping it did.
/// Wake-ups are forwarded; everything else as `ForwardingJobStore` does.
final class ClaimCountingStore: ForwardingJobStore, JobWakeupSource {
    let inner: any JobStore
    private let finished = Mutex(0)

    init(_ inner: any JobStore) {
        self.inner = inner
    }

    /// How many claim attempts have returned so far.
    var claimAttempts: Int { finished.withLock { $0 } }

    /// Waits until at least `count` more claim attempts than `since` have returned: one that began before a
    /// change the test made (a clock moved, a job enqueued) may have missed it, a second one began after it.
    func waitForClaimAttempts(_ count: Int, since: Int) async throws -> Bool {
        try await eventually(timeout: .seconds(120)) { claimAttempts >= since + count }
    }

    func claimJobs(for workers: [String], queues: [String], now: Date) async throws -> [Job] {
        defer { finished.withLock { $0 += 1 } }
        return try await inner.claimJobs(for: workers, queues: queues, now: now)
    }

    func wakeups() -> AsyncStream<Void> {
        (inner as? any JobWakeupSource)?.wakeups() ?? AsyncStream { _ in }
    }
}
