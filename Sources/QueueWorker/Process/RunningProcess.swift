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
        var startedAt: ContinuousClock.Instant?
        var endedAt: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    public init() {}

    /// Whether the run was interrupted by `abort()`.
    public var wasAborted: Bool { state.withLock { $0.aborted } }

    /// Whether the run was killed by `fence()`.
    public var wasFenced: Bool { state.withLock { $0.fenced } }

    var wasTimedOut: Bool { state.withLock { $0.timedOut } }

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

    /// Records the started process; kills it at once if an abort or a fence came first.
    func started(pid: pid_t) {
        let killNow = state.withLock { current -> Bool in
            current.pid = pid
            current.startedAt = .now
            return current.aborted || current.fenced
        }
        if killNow { _ = kill(-pid, SIGKILL) }
    }

    /// Records that the leader exited and was reaped: its pid may be reused from now on.
    func exited() {
        state.withLock {
            $0.exited = true
            $0.endedAt = .now
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
