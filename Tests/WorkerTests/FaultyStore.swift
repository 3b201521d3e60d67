import Foundation
import QueueCore
import QueueTestSupport
import Synchronization

/// A store that forwards to a real one, but can be told to fail or hang some operations, as a store
/// that became unreachable would. Wake-ups are forwarded too; everything else as `ForwardingJobStore` does.
final class FaultyStore: ForwardingJobStore, JobWakeupSource {
    /// How lease renewals behave.
    enum Renewals: Sendable {
        case work
        case fail
        case hang
    }

    private struct State {
        var renewals = Renewals.work
        var resultFailuresLeft = 0
        var resultWrites = 0
        var hung: [CheckedContinuation<Void, Never>] = []
    }

    let inner: any JobStore
    private let state = Mutex(State())

    init(_ inner: any JobStore) {
        self.inner = inner
    }

    /// From now on, renewals work, fail or hang (a hung one is released when renewals work again).
    func setRenewals(_ behaviour: Renewals) {
        let released = state.withLock { current -> [CheckedContinuation<Void, Never>] in
            current.renewals = behaviour
            guard behaviour != .hang else { return [] }
            defer { current.hung.removeAll() }
            return current.hung
        }
        for continuation in released { continuation.resume() }
    }

    /// The next `count` result writes (`recordResult`) fail.
    func failResults(_ count: Int) {
        state.withLock { $0.resultFailuresLeft = count }
    }

    /// How many result writes were tried.
    var resultWrites: Int { state.withLock { $0.resultWrites } }

    private struct Unreachable: Error, CustomStringConvertible {
        var description: String { "the store is unreachable (test)" }
    }

    func renewLeases(_ workers: [String], now: Date) async throws -> LeaseRenewal {
        switch state.withLock({ $0.renewals }) {
        case .work: break
        case .fail: throw Unreachable()
        case .hang:
            await withCheckedContinuation { continuation in
                let release = state.withLock { current -> Bool in
                    guard current.renewals == .hang else { return true }
                    current.hung.append(continuation)
                    return false
                }
                if release { continuation.resume() }
            }
            throw Unreachable()
        }
        return try await inner.renewLeases(workers, now: now)
    }

    /// Fails while renewals do not work: a holder cut off from the store reads no cancel request either.
    func cancelRequests(for workers: [String]) async throws -> [CancelRequest] {
        guard state.withLock({ $0.renewals }) == .work else { throw Unreachable() }
        return try await inner.cancelRequests(for: workers)
    }

    func recordResult(_ result: RunResult, of claim: JobClaim, thenClaimFrom queues: [String]?) async throws
        -> RecordedResult
    {
        let fail = state.withLock { current -> Bool in
            current.resultWrites += 1
            guard current.resultFailuresLeft > 0 else { return false }
            current.resultFailuresLeft -= 1
            return true
        }
        if fail { throw Unreachable() }
        return try await inner.recordResult(result, of: claim, thenClaimFrom: queues)
    }

    func wakeups() -> AsyncStream<Void> {
        (inner as? any JobWakeupSource)?.wakeups() ?? AsyncStream { _ in }
    }
}
