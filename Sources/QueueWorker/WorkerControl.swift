import QueueCore
import Synchronization

/// State shared by the services of one worker process: what the workers were told to do, the
/// configuration as last read, which slots are free and what each busy slot runs.
public final class WorkerControl: Sendable {
    private struct State {
        var mode: WorkerCommand = .run
        var configuration: QueueConfig
        var freeSlots: [String]
        var running: [String: RunningProcess] = [:]
        var finished = false
    }

    private let state: Mutex<State>
    private let slotCount: Int
    /// Wakes the claim loop.
    let wake = WakeSignal()

    /// Control for workers `slots`, starting with `configuration`.
    public init(slots: [String], configuration: QueueConfig) {
        state = Mutex(State(configuration: configuration, freeSlots: slots))
        slotCount = slots.count
    }

    /// What the workers do now: run, drain (finish and exit) or abort (kill, put back, exit).
    public var mode: WorkerCommand { state.withLock { $0.mode } }

    /// The configuration as last read from the store.
    public var configuration: QueueConfig { state.withLock { $0.configuration } }

    /// Whether the workers have deregistered (no more heartbeats needed).
    var isFinished: Bool { state.withLock { $0.finished } }

    /// Escalates the mode (run → drain → abort; never back). On abort, kills every running job.
    public func apply(_ command: WorkerCommand) {
        let toKill = state.withLock { current -> [RunningProcess] in
            switch (current.mode, command) {
            case (_, .run), (.abort, _), (.drain, .drain): return []
            case (_, .abort):
                current.mode = .abort
                return Array(current.running.values)
            case (.run, .drain):
                current.mode = .drain
                return []
            }
        }
        for process in toKill { process.abort() }
        wake.notify()
    }

    func update(configuration: QueueConfig) {
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

    /// Marks `slots` free again.
    func release(_ slots: [String]) {
        guard !slots.isEmpty else { return }
        state.withLock { $0.freeSlots.append(contentsOf: slots) }
        wake.notify()
    }

    /// Records the process a busy slot runs; kills it at once if an abort came first.
    func register(_ process: RunningProcess, for slot: String) {
        let abortNow = state.withLock { current -> Bool in
            current.running[slot] = process
            return current.mode == .abort
        }
        if abortNow { process.abort() }
    }

    func unregister(slot: String) {
        _ = state.withLock { $0.running.removeValue(forKey: slot) }
    }

    /// Whether no slot holds a job.
    var isIdle: Bool { state.withLock { $0.freeSlots.count == slotCount } }

    func markFinished() {
        state.withLock { $0.finished = true }
    }
}
