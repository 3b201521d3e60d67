import Synchronization

/// Wakes the claim loop: a new job, a finished run, a stop request. Edge-triggered but never
/// lost: a notification with nobody waiting makes the next wait return at once.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var round = 0
        var expiredRound = -1
    }

    private let state = Mutex(State())

    init() {}

    /// Wakes the waiter, or the next one to wait.
    func notify() {
        let waiter = state.withLock { current -> CheckedContinuation<Void, Never>? in
            if let waiter = current.waiter {
                current.waiter = nil
                return waiter
            }
            current.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns when notified, or after `duration`, whichever comes first. One waiter at a time.
    func wait(upTo duration: Duration) async {
        let round = state.withLock { current -> Int? in
            if current.pending {
                current.pending = false
                return nil
            }
            current.round += 1
            return current.round
        }
        guard let round else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: duration)
                self.expire(round)
            }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { current -> Bool in
                    if current.pending {
                        current.pending = false
                        return true
                    }
                    if current.expiredRound == round { return true }
                    current.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
            group.cancelAll()
        }
    }

    private func expire(_ round: Int) {
        let waiter = state.withLock { current -> CheckedContinuation<Void, Never>? in
            current.expiredRound = round
            let waiter = current.waiter
            current.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}
