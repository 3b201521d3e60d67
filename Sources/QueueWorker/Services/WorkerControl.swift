import QueueCore
import Synchronization

/// State shared by the services of one worker process: what the workers were told to do, the
/// configuration as last read, which slots are free, what each busy slot runs, and the lease as this
/// process last renewed it.
public final class WorkerControl: Sendable {
    /// One running job: its process, its claim and when it was registered (a sequence number).
    struct Run: Sendable {
        var slot: String
        var process: RunningProcess
        var claim: JobClaim
        var sequence: Int
    }

    private struct State {
        var mode: WorkerCommand = .run
        var configuration: QueueConfig
        var freeSlots: [String]
        var running: [String: Run] = [:]
        var sequence = 0
        var finished = false
        var fenced = false
        var storeWoke = false
        var leaseRenewedAt: ContinuousClock.Instant
    }

    private let state: Mutex<State>
    private let slotCount: Int
    /// This process's own idle poll (`worker start --poll-interval`), which replaces `poll_interval_ms`.
    private let pollIntervalOverride: Int?
    /// Wakes the claim loop: a run ended, the store announced work or a stop, a stop was requested.
    let wake = WakeSignal()

    /// Control for workers `slots`, starting with `configuration`; with `pollIntervalOverride` (ms), that
    /// poll interval instead of the configured one, whatever the configuration says later.
    public init(slots: [String], configuration: QueueConfig, pollIntervalOverride: Int? = nil) {
        self.pollIntervalOverride = pollIntervalOverride
        var configuration = configuration
        if let pollIntervalOverride { configuration.pollIntervalMilliseconds = pollIntervalOverride }
        state = Mutex(State(configuration: configuration, freeSlots: slots, leaseRenewedAt: .now))
        slotCount = slots.count
    }

    /// What the workers do now: run, drain (finish and exit) or abort (kill, put back, exit).
    public var mode: WorkerCommand { state.withLock { $0.mode } }

    /// The configuration as last read from the store.
    public var configuration: QueueConfig { state.withLock { $0.configuration } }

    /// Whether the workers have deregistered (no more heartbeats needed).
    var isFinished: Bool { state.withLock { $0.finished } }

    /// Whether the lease lapsed without a renewal: the running jobs were killed and nothing is claimed
    /// until a heartbeat gets through again.
    public var isFenced: Bool { state.withLock { $0.fenced } }

    /// Escalates the mode (run → drain → abort; never back). On abort, kills every running job. Wakes
    /// the claim loop only when the mode changed (a heartbeat repeating `run` every second must not:
    /// idle workers would wake and claim every second, whatever the poll interval).
    public func apply(_ command: WorkerCommand) {
        let (changed, toKill) = state.withLock { current -> (Bool, [RunningProcess]) in
            switch (current.mode, command) {
            case (_, .run), (.abort, _), (.drain, .drain): return (false, [])
            case (_, .abort):
                current.mode = .abort
                return (true, current.running.values.map(\.process))
            case (.run, .drain):
                current.mode = .drain
                return (true, [])
            }
        }
        for process in toKill { process.abort() }
        if changed { wake.notify() }
    }

    func update(configuration: QueueConfig) {
        var configuration = configuration
        if let pollIntervalOverride { configuration.pollIntervalMilliseconds = pollIntervalOverride }
        state.withLock { $0.configuration = configuration }
    }

    /// Free slots, taken out of the free list; give back unused ones with `release`.
    func takeFreeSlots() -> [String] {
        state.withLock { current in
            let slots = current.freeSlots
            current.freeSlots.removeAll()
            return slots
        }
    }

    /// Marks `slots` free again; with `wake` (a run ended) the claim loop looks for work at once. Slots a
    /// claim did not use are given back without waking it: it would find nothing again, in a busy loop.
    func release(_ slots: [String], wake shouldWake: Bool) {
        guard !slots.isEmpty else { return }
        state.withLock { $0.freeSlots.append(contentsOf: slots) }
        if shouldWake { wake.notify() }
    }

    /// Records the run a busy slot holds; kills it at once if an abort or a fence came first.
    func register(_ process: RunningProcess, claim: JobClaim) {
        let (abortNow, fenceNow) = state.withLock { current -> (Bool, Bool) in
            current.sequence += 1
            current.running[claim.worker] = Run(
                slot: claim.worker, process: process, claim: claim, sequence: current.sequence)
            return (current.mode == .abort, current.fenced)
        }
        if abortNow { process.abort() }
        if fenceNow { process.fence() }
    }

    func unregister(slot: String) {
        _ = state.withLock { $0.running.removeValue(forKey: slot) }
    }

    /// The sequence number of the latest registered run: runs registered up to it were claimed (and
    /// committed) before a store read that starts afterwards.
    var runSequence: Int { state.withLock { $0.sequence } }

    /// The runs registered at or before `sequence`.
    func runs(registeredUpTo sequence: Int) -> [Run] {
        state.withLock { $0.running.values.filter { $0.sequence <= sequence } }
    }

    /// Whether no slot holds a job.
    var isIdle: Bool { state.withLock { $0.freeSlots.count == slotCount } }

    func markFinished() {
        state.withLock { $0.finished = true }
    }

    /// When the last renewal that the store applied was sent (the lease runs from then at the latest).
    var leaseRenewedAt: ContinuousClock.Instant { state.withLock { $0.leaseRenewedAt } }

    /// Records a renewal sent at `instant` that the store applied, and lifts a fence.
    func leaseRenewed(at instant: ContinuousClock.Instant) {
        state.withLock { current in
            if instant > current.leaseRenewedAt { current.leaseRenewedAt = instant }
            current.fenced = false
        }
    }

    /// The lease lapsed: kills every running job (their runs end as "worker lost") and stops claiming
    /// until `leaseRenewed`. Returns the claims of the runs it killed.
    @discardableResult
    func fenceAll() -> [JobClaim] {
        let runs = state.withLock { current -> [Run] in
            current.fenced = true
            return Array(current.running.values)
        }
        for run in runs { run.process.fence() }
        return runs.map(\.claim)
    }

    /// Notes a wake-up from the store (new work, or a stop request to read) and wakes the claim loop.
    func noteStoreWakeup() {
        state.withLock { $0.storeWoke = true }
        wake.notify()
    }

    /// Whether a store wake-up arrived since the last call.
    func takeStoreWakeup() -> Bool {
        state.withLock { current in
            let woke = current.storeWoke
            current.storeWoke = false
            return woke
        }
    }
}
