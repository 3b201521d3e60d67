import Foundation
import QueueCore
import Synchronization

/// A store that forwards to a real one, but can be told to fail or hang some operations, as a store
/// that became unreachable would. Wake-ups are forwarded too.
final class FaultyStore: JobStore, JobWakeupSource {
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

    private let inner: any JobStore
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

    // Forwarded as they are.
    func enqueue(_ jobs: [Job]) async throws { try await inner.enqueue(jobs) }
    func job(_ id: JobID) async throws -> Job? { try await inner.job(id) }
    func jobs(_ filter: JobFilter) async throws -> [Job] { try await inner.jobs(filter) }
    func jobIDs(withPrefix prefix: JobID, limit: Int) async throws -> [JobID] {
        try await inner.jobIDs(withPrefix: prefix, limit: limit)
    }
    func counts(now: Date) async throws -> QueueCounts { try await inner.counts(now: now) }
    func retryDeadJobs(_ selection: DeadJobSelection, now: Date) async throws -> [JobID] {
        try await inner.retryDeadJobs(selection, now: now)
    }
    func configuration() async throws -> QueueConfig { try await inner.configuration() }
    func setConfiguration(_ key: QueueConfig.Key, to config: QueueConfig) async throws {
        try await inner.setConfiguration(key, to: config)
    }
    func registerWorkers(_ workers: [WorkerRegistration], now: Date) async throws {
        try await inner.registerWorkers(workers, now: now)
    }
    func deregisterWorkers(_ workers: [String]) async throws { try await inner.deregisterWorkers(workers) }
    func workers() async throws -> [WorkerRecord] { try await inner.workers() }
    func requestStop(_ command: WorkerCommand, host: String?) async throws {
        try await inner.requestStop(command, host: host)
    }
    func requestStop(_ command: WorkerCommand, workers: [String]) async throws {
        try await inner.requestStop(command, workers: workers)
    }
    func requestedCommand(for workers: [String]) async throws -> WorkerCommand {
        try await inner.requestedCommand(for: workers)
    }
    func claimJobs(for workers: [String], queues: [String], now: Date) async throws -> [Job] {
        try await inner.claimJobs(for: workers, queues: queues, now: now)
    }
    func releaseJob(_ claim: JobClaim, now: Date) async throws -> Bool { try await inner.releaseJob(claim, now: now) }
    func jobsOfLostWorkers(now: Date, leaseTimeout: TimeInterval) async throws -> [Job] {
        try await inner.jobsOfLostWorkers(now: now, leaseTimeout: leaseTimeout)
    }
    func recordLostRun(_ result: RunResult, of claim: JobClaim, now: Date, leaseTimeout: TimeInterval) async throws
        -> Bool
    {
        try await inner.recordLostRun(result, of: claim, now: now, leaseTimeout: leaseTimeout)
    }
    func counters() async throws -> [String: Double] { try await inner.counters() }
    func nextDueTime(queues: [String]) async throws -> Date? { try await inner.nextDueTime(queues: queues) }
    func cancelJobs(_ ids: [JobID], grace: Duration, now: Date) async throws -> [Job] {
        try await inner.cancelJobs(ids, grace: grace, now: now)
    }
    func cancelRequests(for workers: [String]) async throws -> [CancelRequest] {
        try await inner.cancelRequests(for: workers)
    }
}
