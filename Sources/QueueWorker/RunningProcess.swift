import Foundation
import Synchronization

/// The process group of one run, shared between the task that waits for it and whoever may have
/// to kill it (a timeout, or an aborting stop).
public final class RunningProcess: Sendable {
    private struct State {
        var pid: pid_t = 0
        var exited = false
        var timedOut = false
        var aborted = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Whether the run was interrupted by `abort()`.
    public var wasAborted: Bool { state.withLock { $0.aborted } }

    var wasTimedOut: Bool { state.withLock { $0.timedOut } }

    /// Kills the run's whole process group now; the run ends as aborted (not a failed attempt).
    /// Safe to call before the process started: it is then killed as soon as it exists.
    public func abort() {
        signalGroup(SIGKILL) { $0.aborted = true }
    }

    /// Records the started process; kills it at once if an abort came first.
    func started(pid: pid_t) {
        let abortedAlready = state.withLock { current -> Bool in
            current.pid = pid
            return current.aborted
        }
        if abortedAlready { _ = kill(-pid, SIGKILL) }
    }

    /// Records that the leader exited and was reaped: its pid may be reused from now on.
    func exited() {
        state.withLock { $0.exited = true }
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
