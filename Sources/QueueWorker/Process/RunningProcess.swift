import CQueueSpawn
import Foundation
import Synchronization

/// The process group of one run, shared between the task that waits for it and whoever may have
/// to kill it (a timeout, an aborting stop, or the worker fencing itself off a lost lease), and the
/// run's duration by the monotonic clock.
public final class RunningProcess: Sendable {
    private struct State {
        var pid: pid_t = 0
        var exited = false
        var timedOut = false
        var aborted = false
        var fenced = false
        var cancelled = false
        var startedAt: ContinuousClock.Instant?
        var endedAt: ContinuousClock.Instant?
        /// The thread that started the process and watches it.
        var watcher: JobProcessThread?
    }

    private let state = Mutex(State())

    public init() {}

    /// Whether the run was interrupted by `abort()`.
    public var wasAborted: Bool { state.withLock { $0.aborted } }

    /// Whether the run was killed by `fence()`.
    public var wasFenced: Bool { state.withLock { $0.fenced } }

    var wasTimedOut: Bool { state.withLock { $0.timedOut } }

    /// Whether the run was stopped by `cancel(grace:)`: it ends `cancelled`, whatever its exit status.
    public var wasCancelled: Bool { state.withLock { $0.cancelled } }

    /// Stops the run because its job was cancelled: SIGTERM to its process group now, SIGKILL after `grace`
    /// (by the thread that watches it, as for a timeout). This is the one place where a cancel and the run's
    /// own end are ordered: under the lock, a leader that has already exited (reaped, or a zombie not yet
    /// reaped) keeps its own outcome and this returns false; otherwise the run is marked cancelled before
    /// the signal goes out, so whatever it exits with afterwards (0 included), it ends cancelled. Before the
    /// process started, it is marked and killed as soon as it exists. Repeating it changes nothing.
    /// Returns whether this call stopped the run (false: it had exited already, or was cancelled before).
    @discardableResult
    public func cancel(grace: Duration) -> Bool {
        enum Decision { case none, signalled, markedBeforeStart }
        var watcher: JobProcessThread?
        let decision = state.withLock { current -> Decision in
            watcher = current.watcher
            if current.cancelled || current.exited { return .none }
            guard current.pid > 0 else {
                current.cancelled = true
                return .markedBeforeStart
            }
            if qc_child_has_exited(current.pid) == 1 { return .none }
            current.cancelled = true
            _ = kill(-current.pid, SIGTERM)
            return .signalled
        }
        switch decision {
        case .none: return false
        case .markedBeforeStart: return true
        case .signalled:
            watcher?.escalate(self, after: grace)
            return true
        }
    }

    /// How long the process ran, from spawn to the leader's exit, by the monotonic clock (nil until it
    /// was started and has exited). Wall clocks of the worker and the store's server may disagree.
    public var runDuration: Duration? {
        state.withLock { current in
            guard let start = current.startedAt, let end = current.endedAt else { return nil }
            return end - start
        }
    }

    /// Kills the run's whole process group now; the run ends as aborted (not a failed attempt).
    /// Safe to call before the process started: it is then killed as soon as it exists.
    public func abort() {
        signalGroup(SIGKILL) { $0.aborted = true }
    }

    /// Kills the run's whole process group now because this worker may no longer hold it (its lease
    /// lapsed, or the store credits the run to nobody): the run ends as "worker lost".
    public func fence() {
        signalGroup(SIGKILL) { $0.fenced = true }
    }

    /// Records the started process and the thread that watches it; kills it at once if an abort, a fence or a
    /// cancel came first.
    func started(pid: pid_t, watchedBy watcher: JobProcessThread) {
        let killNow = state.withLock { current -> Bool in
            current.pid = pid
            current.watcher = watcher
            current.startedAt = .now
            return current.aborted || current.fenced || current.cancelled
        }
        if killNow { _ = kill(-pid, SIGKILL) }
    }

    /// Records that the leader exited and was reaped: its pid may be reused from now on. The watching thread is
    /// forgotten: nothing signals the run any more, and a cancel's escalation that comes after the thread ended
    /// must not keep the thread alive through a cycle (thread → its escalations → this run → thread).
    func exited() {
        state.withLock {
            $0.exited = true
            $0.endedAt = .now
            $0.watcher = nil
        }
    }

    /// Sends `signal` to the group as part of the timeout sequence.
    func timeOut(with signal: Int32) {
        signalGroup(signal) { $0.timedOut = true }
    }

    private func signalGroup(_ signal: Int32, marking mark: (inout State) -> Void) {
        state.withLock { current in
            mark(&current)
            if current.pid > 0, !current.exited { _ = kill(-current.pid, signal) }
        }
    }
}
