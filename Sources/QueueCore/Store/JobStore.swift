import Foundation

/// The storage seam. Shaped by operations, not tables: the core decides (retry, backoff,
/// recovery), the store makes each operation atomic. Every transition of a claimed job is a
/// guarded update (`state = 'processing' AND attempts = claim.attempt AND worker = claim.worker`)
/// that reports whether it applied, so a run that was presumed lost can never overwrite its job.
///
/// Instants are parameters so tests can move time; a store may use its database's clock
/// instead where hosts must agree (the PostgreSQL store does, for leases and due times).
public protocol JobStore: Sendable {
    /// Where tasks that mostly wait on this store run best, as a worker's slots do: spread them over these
    /// (empty: anywhere). The PostgreSQL store answers the event loops of its connections.
    var preferredTaskExecutors: [any TaskExecutor] { get }

    // MARK: Jobs

    /// Adds `jobs` (built by `JobSpec.resolved`) all-or-nothing.
    /// Throws `QueueError.duplicateJobID` naming the first id that exists already (or repeats in the batch).
    func enqueue(_ jobs: [Job]) async throws
    /// The job with this id, or nil.
    func job(_ id: JobID) async throws -> Job?
    /// Jobs matching `filter`, in enqueue order.
    func jobs(_ filter: JobFilter) async throws -> [Job]
    /// The ids that start with `prefix` (the id equal to it included), in byte order, at most `limit` of
    /// them; `JobIDResolver` decides what they mean. An index range, not a scan.
    func jobIDs(withPrefix prefix: JobID, limit: Int) async throws -> [JobID]
    /// Jobs per state, and workers whose heartbeat is younger than the lease timeout at `now`.
    func counts(now: Date) async throws -> QueueCounts
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
    /// Asks workers to stop (`host` nil: every host; else the workers registered with that host name).
    /// `.drain` finishes running jobs; `.abort` kills them and puts them back as pending.
    func requestStop(_ command: WorkerCommand, host: String?) async throws
    /// Asks exactly the workers `workers` to stop (a host's own `worker stop`, which picks its workers by
    /// host identity: two containers may share a host name).
    func requestStop(_ command: WorkerCommand, workers: [String]) async throws
    /// The strongest command the store holds for `workers` (`.run` when none is registered); a read,
    /// for a woken worker to learn of a stop request before it claims.
    func requestedCommand(for workers: [String]) async throws -> WorkerCommand

    // MARK: Running jobs

    /// Atomically claims up to `workers.count` due jobs (state pending or failed, `run_at <= now`,
    /// queue in `queues` or any queue when empty) in contract order, one per worker id in `workers`:
    /// each moves to `processing`, `attempts + 1`, `started_at = now`, `worker` set.
    ///
    /// Fenced by the worker registry: only ids registered with command `run` get a job (in the order
    /// given), so once a stop request has committed, or a worker was deregistered, it claims nothing.
    func claimJobs(for workers: [String], queues: [String], now: Date) async throws -> [Job]
    /// Writes the end of a run, guarded by the claim, and adds `result.counterIncrements` to the run
    /// counters in the same transaction. When it applied and `queues` is not nil, it then claims the next
    /// due job for the same worker, as `claimJobs(for: [claim.worker], queues: queues, now:
    /// result.finishedAt)` would (in the same transaction where the store can): a worker that stays
    /// busy costs one write per job. Changes nothing about the job when it is no longer held by that run.
    ///
    /// A store that keeps logs (`JobLogStore`) appends `result.logTail` to the job's stored log in the same
    /// write, whether or not the guard holds (the run did write that output); the worker counts it as
    /// copied. A write retried after its answer was lost may append it twice.
    ///
    /// A result that applied is never reported as failed because the claim after it failed: the claim then
    /// just comes back empty and the worker claims again the usual way.
    func recordResult(_ result: RunResult, of claim: JobClaim, thenClaimFrom queues: [String]?) async throws
        -> RecordedResult
    /// Puts a claimed job back to `pending` without counting the run (attempts - 1), guarded by the claim.
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
}

extension JobStore {
    /// Writes the end of a run, guarded by the claim, claiming nothing after it. Returns false (and changes
    /// nothing) when the job is no longer held by that run.
    public func recordResult(_ result: RunResult, of claim: JobClaim) async throws -> Bool {
        try await recordResult(result, of: claim, thenClaimFrom: nil).applied
    }

    /// Renews the lease of `workers` and reports what they are asked to do next (workers without a
    /// row are told to `run`; use `renewLeases` to learn which are registered).
    public func heartbeat(_ workers: [String], now: Date) async throws -> WorkerCommand {
        try await renewLeases(workers, now: now).command
    }
}

/// What `recordResult(_:of:thenClaimFrom:)` did.
public struct RecordedResult: Sendable, Equatable {
    /// Whether the result was written (the claim still held).
    public var applied: Bool
    /// The job claimed for the same worker after it, if one was asked for and due.
    public var next: Job?

    public init(applied: Bool, next: Job? = nil) {
        self.applied = applied
        self.next = next
    }
}

/// Identifies one run of one job: the fencing token for every write about that run.
public struct JobClaim: Sendable, Equatable, Hashable {
    /// The job.
    public var jobID: JobID
    /// The attempt number of the run (the job's `attempts` right after the claim).
    public var attempt: Int
    /// The worker that claimed it.
    public var worker: String

    public init(jobID: JobID, attempt: Int, worker: String) {
        self.jobID = jobID
        self.attempt = attempt
        self.worker = worker
    }

    /// The claim a `processing` job carries. Nil when the job has no worker.
    public init?(_ job: Job) {
        guard let worker = job.worker else { return nil }
        self.init(jobID: job.id, attempt: job.attempts, worker: worker)
    }
}

/// What `list` (and the dashboard's `GET /api/jobs`) asks for: jobs in any of `states` (any state when empty)
/// AND in any of `queues` (any queue when empty), one page of them.
public struct JobFilter: Sendable, Equatable {
    /// Only jobs in one of these states; empty: every state.
    public var states: [JobState]
    /// Only jobs in one of these queues; empty: every queue.
    public var queues: [String]
    /// At most this many (nil: all).
    public var limit: Int?
    /// Skip this many first.
    public var offset: Int

    /// Jobs in any of `states` and any of `queues` (each empty: no restriction on it).
    public init(states: [JobState], queues: [String] = [], limit: Int? = nil, offset: Int = 0) {
        var seenStates = Set<JobState>()
        var seenQueues = Set<String>()
        self.states = states.filter { seenStates.insert($0).inserted }
        self.queues = queues.filter { seenQueues.insert($0).inserted }
        self.limit = limit
        self.offset = offset
    }

    /// Jobs in `state` (nil: any) and `queue` (nil: any).
    public init(state: JobState? = nil, queue: String? = nil, limit: Int? = nil, offset: Int = 0) {
        self.init(states: state.map { [$0] } ?? [], queues: queue.map { [$0] } ?? [], limit: limit, offset: offset)
    }

    /// The filter that state and queue names as a user typed them describe: each option may be given several
    /// times (`--state dead --state failed`), values of one option are alternatives, the two options both
    /// apply. The one place where the CLI's `list` and the dashboard's `GET /api/jobs` read these names:
    /// an unknown state or an invalid queue name is a usage error naming it.
    public init(parsingStates stateNames: [String], queues queueNames: [String], limit: Int? = nil, offset: Int = 0)
        throws(QueueError)
    {
        var states: [JobState] = []
        for name in stateNames { states.append(try JobState(parsing: name)) }
        for queue in queueNames where !JobSpec.isValidQueueName(queue) { throw JobSpec.invalidQueueName(queue) }
        self.init(states: states, queues: queueNames, limit: limit, offset: offset)
    }
}

/// Which dead jobs `dlq retry` moves back.
public enum DeadJobSelection: Sendable, Equatable {
    /// Every dead job.
    case all
    /// These jobs, each of which must be dead.
    case jobs([JobID])
}

/// The numbers `status` shows.
public struct QueueCounts: Sendable, Equatable, Encodable {
    public var pending = 0
    public var processing = 0
    public var completed = 0
    public var failed = 0
    public var dead = 0
    /// Workers with a live lease.
    public var workers = 0

    public init(pending: Int = 0, processing: Int = 0, completed: Int = 0, failed: Int = 0, dead: Int = 0, workers: Int = 0) {
        self.pending = pending
        self.processing = processing
        self.completed = completed
        self.failed = failed
        self.dead = dead
        self.workers = workers
    }

    /// The count for `state`.
    public subscript(state: JobState) -> Int {
        get {
            switch state {
            case .pending: pending
            case .processing: processing
            case .completed: completed
            case .failed: failed
            case .dead: dead
            }
        }
        set {
            switch state {
            case .pending: pending = newValue
            case .processing: processing = newValue
            case .completed: completed = newValue
            case .failed: failed = newValue
            case .dead: dead = newValue
            }
        }
    }
}

/// What a worker is told at its heartbeat.
public enum WorkerCommand: String, Sendable, Equatable {
    /// Keep going.
    case run
    /// Take no new job, finish the running ones, exit.
    case drain
    /// Kill running jobs, put them back as pending (not counted), exit.
    case abort
}

/// A worker announcing itself.
public struct WorkerRegistration: Sendable, Equatable {
    /// Unique worker id (`<host>-<pid>-<tag>-<slot>`, the tag random per process: unique per process incarnation).
    public var id: String
    /// The daemon's process id.
    public var pid: Int32
    /// The host name it runs on, as shown to users.
    public var host: String
    /// Which machine and pid namespace it runs in (host name, boot id, pid namespace), the identity that
    /// "is this process on my host" decisions compare: two containers may share a host name.
    public var hostID: String
    /// The daemon process's start time (from /proc), so a recycled pid is never mistaken for it.
    public var processStart: Int64
    /// Queues it serves; empty means every queue.
    public var queues: [String]

    /// A registration; `hostID` defaults to the host name (tests, fixtures).
    public init(id: String, pid: Int32, host: String, processStart: Int64, queues: [String], hostID: String? = nil) {
        self.id = id
        self.pid = pid
        self.host = host
        self.hostID = hostID ?? host
        self.processStart = processStart
        self.queues = queues
    }
}

/// A registered worker as `worker list` shows it.
public struct WorkerRecord: Sendable, Equatable {
    public var id: String
    public var pid: Int32
    public var host: String
    /// The host identity it registered with (see `WorkerRegistration.hostID`).
    public var hostID: String
    public var processStart: Int64
    public var queues: [String]
    /// The job it is running, if any.
    public var job: JobID?
    public var startedAt: Date
    public var heartbeatAt: Date
    /// What it has been asked to do.
    public var command: WorkerCommand

    public init(
        id: String, pid: Int32, host: String, processStart: Int64, queues: [String], job: JobID?, startedAt: Date,
        heartbeatAt: Date, command: WorkerCommand, hostID: String? = nil
    ) {
        self.id = id
        self.pid = pid
        self.host = host
        self.hostID = hostID ?? host
        self.processStart = processStart
        self.queues = queues
        self.job = job
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.command = command
    }

    /// The state shown to users: `lost` once the lease lapsed, else `stopping`, `busy` or `idle`.
    public func state(now: Date, leaseTimeout: TimeInterval) -> String {
        if now.timeIntervalSince(heartbeatAt) > leaseTimeout { return "lost" }
        if command != .run { return "stopping" }
        return job == nil ? "idle" : "busy"
    }
}

/// The contract's JSON form of a worker (`worker list --json`).
public struct WorkerDocument: Encodable, Sendable {
    public let worker: WorkerRecord
    public let state: String

    public init(worker: WorkerRecord, now: Date, leaseTimeout: TimeInterval) {
        self.worker = worker
        self.state = worker.state(now: now, leaseTimeout: leaseTimeout)
    }

    private enum CodingKeys: String, CodingKey {
        case id, pid, host, state, queues, job, startedAt = "started_at", heartbeatAt = "heartbeat_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(worker.id, forKey: .id)
        try container.encode(worker.pid, forKey: .pid)
        try container.encode(worker.host, forKey: .host)
        try container.encode(state, forKey: .state)
        try container.encode(worker.queues, forKey: .queues)
        try container.encode(worker.job?.rawValue, forKey: .job)
        try container.encode(Timestamp.format(worker.startedAt), forKey: .startedAt)
        try container.encode(Timestamp.format(worker.heartbeatAt), forKey: .heartbeatAt)
    }
}

/// An optional power: a store that can wake idle workers as soon as something becomes claimable
/// (a new job, a retry, a stop request), instead of waiting for the next poll.
public protocol JobWakeupSource: Sendable {
    /// A stream that yields whenever claimable work or a stop request may have appeared.
    func wakeups() -> AsyncStream<Void>
}

extension JobStore {
    /// Anywhere: a store that answers on the calling thread (SQLite) gains nothing from an executor.
    public var preferredTaskExecutors: [any TaskExecutor] { [] }

    /// The preferred executor of the `index`th of several concurrent tasks (a worker's slots): the
    /// store's preferred executors in turn; nil (anywhere) when it has none.
    public func preferredTaskExecutor(forTask index: Int) -> (any TaskExecutor)? {
        let executors = preferredTaskExecutors
        return executors.isEmpty ? nil : executors[index % executors.count]
    }
}
