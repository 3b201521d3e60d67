import Foundation
/// The storage seam. Shaped by operations, not tables: the core decides (retry, backoff,
/// recovery), the store makes each operation atomic. Every transition of a claimed job is a
/// guarded update (`state = 'processing' AND attempts = claim.attempt AND worker = claim.worker`)
/// that reports whether it applied, so a run that was presumed lost can never overwrite its job.
///
/// Instants are parameters so tests can move time; a store may use its database's clock
/// instead where hosts must agree (the PostgreSQL store does, for leases and due times).
///
/// Optional powers are separate protocols a store may also conform to: `JobWakeupSource`, `JobLogStore`,
/// `TaskExecutorPreference`. Conveniences built on the requirements live in the extension below, so a
/// wrapper (a test's `FaultyStore`) forwards only the requirements.
public protocol JobStore: Sendable {
    // MARK: Jobs

    /// Adds `jobs` (built by `JobSpec.resolved`) all-or-nothing, except a job whose `uniqueKey` is held by a
    /// waiting or running job (`UniqueKey.holdingStates`): that one adds nothing and the answer maps its id to
    /// the holder as it is now. Decided by the store's unique index, never by a read before the write, so
    /// concurrent enqueuers of one key get exactly one job and all learn it. Keys do not repeat in `jobs`.
    /// Throws `QueueError.duplicateJobID` naming the first id that exists already (or repeats in the batch).
    @discardableResult
    func enqueue(_ jobs: [Job]) async throws -> [JobID: Job]
    /// The job with this id, or nil.
    func job(_ id: JobID) async throws -> Job?
    /// Jobs matching `filter`, in enqueue order.
    func jobs(_ filter: JobFilter) async throws -> [Job]
    /// The ids that start with `prefix` (the id equal to it included), in byte order, at most `limit` of
    /// them; `JobIDResolver` decides what they mean. An index range, not a scan.
    func jobIDs(withPrefix prefix: JobID, limit: Int) async throws -> [JobID]
    /// Jobs per state, and workers live at `now` by `WorkerLease(timeout: leaseTimeout)` (the caller reads the
    /// configured `lease_timeout`: see `counts(now:)`).
    func counts(now: Date, leaseTimeout: TimeInterval) async throws -> QueueCounts
    /// Moves dead jobs back to `pending` with attempts 0, due at `now`; returns the ids moved.
    /// For `.jobs`, throws `jobNotFound` / `jobNotDead` for the first id that is missing or not dead, moving none.
    func retryDeadJobs(_ selection: DeadJobSelection, now: Date) async throws -> [JobID]

    // MARK: Configuration

    /// The stored configuration (defaults for keys never set).
    func configuration() async throws -> QueueConfig
    /// Stores one key's value (already validated by `QueueConfig.set`).
    func setConfiguration(_ key: QueueConfig.Key, to config: QueueConfig) async throws

    // MARK: Workers

    /// Records workers that have just started (state idle, heartbeat `now`).
    func registerWorkers(_ workers: [WorkerRegistration], now: Date) async throws
    /// Renews the lease of those of `workers` that are registered, in one statement, and reports what
    /// they are asked to do, which of them are registered and which runs the store credits to them.
    func renewLeases(_ workers: [String], now: Date) async throws -> LeaseRenewal
    /// Removes workers that have exited.
    func deregisterWorkers(_ workers: [String]) async throws
    /// Every registered worker, newest heartbeat information included.
    func workers() async throws -> [WorkerRecord]
    /// The commands held for those of `workers` that are registered, one per worker, read from their rows alone
    /// (a woken worker asks this before each claim: it must not cost a read of every worker).
    func commands(ofWorkers workers: [String]) async throws -> [WorkerCommand]
    /// Asks the `selection` of workers to stop: `.drain` finishes running jobs; `.abort` kills them and puts
    /// them back as pending; `.run` takes a stop back. Applied atomically per worker as
    /// `command.applied(to:)` says (a stop request only strengthens: a later `drain` never softens an `abort`).
    func requestStop(_ command: WorkerCommand, of selection: WorkerSelection) async throws

    // MARK: Running jobs

    /// Atomically claims up to `workers.count` due jobs (state pending or failed, `run_at <= now`,
    /// queue in `queues` or any queue when empty) in contract order, one per worker id in `workers`:
    /// each moves to `processing`, `attempts + 1`, `started_at = now`, `worker` set.
    ///
    /// Fenced by the worker registry: only ids registered with command `run` get a job (in the order
    /// given), so once a stop request has committed, or a worker was deregistered, it claims nothing.
    func claimJobs(for workers: [String], queues: [String], now: Date) async throws -> [Job]
    /// Writes the end of a run, guarded by the claim, and counts `result.tally` in the run counters in the
    /// same transaction (`result.cancelledTally` instead when a cancel request
    /// made the job end `cancelled`, reported as `RecordedResult.endedCancelled`). When it applied and `queues` is not nil, it then claims the next
    /// due job for the same worker, as `claimJobs(for: [claim.worker], queues: queues, now:
    /// result.finishedAt)` would (in the same transaction where the store can): a worker that stays
    /// busy costs one write per job. Changes nothing about the job when it is no longer held by that run.
    ///
    /// A store that keeps logs (`JobLogStore`) appends `result.logTail` to the job's stored log in the same
    /// write, whether or not the guard holds (the run did write that output); the worker counts it as
    /// copied. A write retried after its answer was lost may append it twice. `result.silentRunLog` (the
    /// header and end line of a run that wrote no output) goes the same way: after `logTail` in a store that
    /// keeps logs, as a mark (`JobLogMarkStore`) in one whose logs are the host's files, in the same write.
    ///
    /// A result that applied is never reported as failed because the claim after it failed: the claim then
    /// just comes back empty and the worker claims again the usual way.
    func recordResult(_ result: RunResult, of claim: JobClaim, thenClaimFrom queues: [String]?) async throws
        -> RecordedResult
    /// Puts a claimed job back to `pending` without counting the run (attempts - 1), guarded by the claim; when
    /// a cancel request for the run is stored, it ends `cancelled` instead, in the same write (never run again),
    /// and `RunMetrics.cancelledReleaseIncrements` are added to the run counters in the same transaction.
    func releaseJob(_ claim: JobClaim, now: Date) async throws -> Bool
    /// Jobs in `processing` whose worker is missing, or whose heartbeat is older than `leaseTimeout` at `now`.
    func jobsOfLostWorkers(now: Date, leaseTimeout: TimeInterval) async throws -> [Job]
    /// Writes the end of a run whose worker is lost (as `recordResult`), only if the claim still holds
    /// AND the worker's lease has lapsed at `now` (its row is missing or its heartbeat is older than
    /// `leaseTimeout`), checked in the same statement: a worker whose heartbeat came back meanwhile keeps
    /// its job. Returns whether it applied.
    func recordLostRun(_ result: RunResult, of claim: JobClaim, now: Date, leaseTimeout: TimeInterval) async throws
        -> Bool
    /// The run counters (`RunMetrics` names → totals) over every process that used the store.
    func counters() async throws -> [String: Double]
    /// The earliest `run_at` of a job waiting for its time (pending or failed), to sleep until then.
    func nextDueTime(queues: [String]) async throws -> Date?

    // MARK: Lifetime

    /// Ends the caller's use of the store (PostgreSQL: says goodbye on each connection, else the server logs
    /// every CLI call as "connection reset by peer"; SQLite: truncates a large WAL). Calls after it may fail.
    func close() async

    // MARK: Cancelling

    /// Cancels the jobs `ids` (exact, distinct ids) all-or-nothing, in one transaction. Throws `jobNotFound`
    /// for the first id that is missing and `jobNotCancellable` for the first whose state cannot move to
    /// `cancelled` (`JobState.canMove(to:)`), changing nothing. Pending and failed jobs become `cancelled` at
    /// once (`last_error` "cancelled", `finished_at` now, counted in `RunMetrics.jobsCancelled`); a processing
    /// job keeps running and gets a cancel request for its current run (`grace` from SIGTERM to SIGKILL),
    /// and listening workers are woken. Returns the jobs as they are afterwards, in the order of `ids`.
    func cancelJobs(_ ids: [JobID], grace: Duration, now: Date) async throws -> [Job]
    /// The cancel requests of the runs that `workers` hold now; a request made during an earlier run of a
    /// job (before its current `started_at`) does not count.
    func cancelRequests(for workers: [String]) async throws -> [CancelRequest]
}

extension JobStore {
    /// Writes the end of a run, guarded by the claim, claiming nothing after it. Returns false (and changes
    /// nothing) when the job is no longer held by that run.
    public func recordResult(_ result: RunResult, of claim: JobClaim) async throws -> Bool {
        try await recordResult(result, of: claim, thenClaimFrom: nil).applied
    }

    /// Jobs per state, and workers live at `now` under the configured `lease_timeout`.
    public func counts(now: Date) async throws -> QueueCounts {
        try await counts(now: now, leaseTimeout: TimeInterval(configuration().leaseTimeout))
    }

    /// Asks the workers of `host` (nil: every host) to stop, as `requestStop(_:of:)`.
    public func requestStop(_ command: WorkerCommand, host: String?) async throws {
        try await requestStop(command, of: host.map(WorkerSelection.host) ?? .all)
    }

    /// Asks exactly the workers `workers` to stop, as `requestStop(_:of:)`.
    public func requestStop(_ command: WorkerCommand, workers: [String]) async throws {
        try await requestStop(command, of: .workers(workers))
    }

    /// The strongest command the store holds for `workers` (`.run` when none is registered); a read, for a
    /// woken worker to learn of a stop request before it claims.
    public func requestedCommand(for workers: [String]) async throws -> WorkerCommand {
        guard !workers.isEmpty else { return .run }
        return WorkerCommand.strongest(of: try await commands(ofWorkers: workers))
    }

    /// Renews the lease of `workers` and reports what they are asked to do next (workers without a
    /// row are told to `run`; use `renewLeases` to learn which are registered).
    public func heartbeat(_ workers: [String], now: Date) async throws -> WorkerCommand {
        try await renewLeases(workers, now: now).command
    }
}
