import Foundation
import QueueCore

/// A store that hands every operation to `inner` unless it implements it itself: a test wrapper (a store
/// that fails on demand) writes only what it changes, and a new `JobStore` requirement is forwarded here once.
public protocol ForwardingJobStore: JobStore {
    /// The store operations go to.
    var inner: any JobStore { get }
}

extension ForwardingJobStore {
    @discardableResult
    public func enqueue(_ jobs: [Job]) async throws -> [JobID: Job] { try await inner.enqueue(jobs) }
    public func job(_ id: JobID) async throws -> Job? { try await inner.job(id) }
    public func jobs(_ filter: JobFilter) async throws -> [Job] { try await inner.jobs(filter) }
    public func jobIDs(withPrefix prefix: JobID, limit: Int) async throws -> [JobID] {
        try await inner.jobIDs(withPrefix: prefix, limit: limit)
    }
    public func counts(now: Date, leaseTimeout: TimeInterval) async throws -> QueueCounts {
        try await inner.counts(now: now, leaseTimeout: leaseTimeout)
    }
    public func retryDeadJobs(_ selection: DeadJobSelection, now: Date) async throws -> [JobID] {
        try await inner.retryDeadJobs(selection, now: now)
    }
    public func configuration() async throws -> QueueConfig { try await inner.configuration() }
    public func setConfiguration(_ key: QueueConfig.Key, to config: QueueConfig) async throws {
        try await inner.setConfiguration(key, to: config)
    }
    public func registerWorkers(_ workers: [WorkerRegistration], now: Date) async throws {
        try await inner.registerWorkers(workers, now: now)
    }
    public func renewLeases(_ workers: [String], now: Date) async throws -> LeaseRenewal {
        try await inner.renewLeases(workers, now: now)
    }
    public func deregisterWorkers(_ workers: [String]) async throws { try await inner.deregisterWorkers(workers) }
    public func workers() async throws -> [WorkerRecord] { try await inner.workers() }
    public func commands(ofWorkers workers: [String]) async throws -> [WorkerCommand] {
        try await inner.commands(ofWorkers: workers)
    }
    public func requestStop(_ command: WorkerCommand, of selection: WorkerSelection) async throws {
        try await inner.requestStop(command, of: selection)
    }
    public func claimJobs(for workers: [String], queues: [String], now: Date) async throws -> [Job] {
        try await inner.claimJobs(for: workers, queues: queues, now: now)
    }
    public func recordResult(_ result: RunResult, of claim: JobClaim, thenClaimFrom queues: [String]?) async throws
        -> RecordedResult
    {
        try await inner.recordResult(result, of: claim, thenClaimFrom: queues)
    }
    public func releaseJob(_ claim: JobClaim, now: Date) async throws -> Bool {
        try await inner.releaseJob(claim, now: now)
    }
    public func jobsOfLostWorkers(now: Date, leaseTimeout: TimeInterval) async throws -> [Job] {
        try await inner.jobsOfLostWorkers(now: now, leaseTimeout: leaseTimeout)
    }
    public func recordLostRun(_ result: RunResult, of claim: JobClaim, now: Date, leaseTimeout: TimeInterval)
        async throws -> Bool
    {
        try await inner.recordLostRun(result, of: claim, now: now, leaseTimeout: leaseTimeout)
    }
    public func counters() async throws -> [String: Double] { try await inner.counters() }
    public func nextDueTime(queues: [String]) async throws -> Date? { try await inner.nextDueTime(queues: queues) }
    public func close() async { await inner.close() }
    public func cancelJobs(_ ids: [JobID], grace: Duration, now: Date) async throws -> [Job] {
        try await inner.cancelJobs(ids, grace: grace, now: now)
    }
    public func cancelRequests(for workers: [String]) async throws -> [CancelRequest] {
        try await inner.cancelRequests(for: workers)
    }
}
