import Synchronization

/// Runs a store call with a deadline after which the caller stops waiting for it.
///
/// A structured race (a task group of the call and a timer) would still wait for the call at the end
/// of the group, and postgres-nio queries ignore task cancellation: a heartbeat stuck on a dead TCP
/// connection would hold its service until the kernel gives up on the socket, many minutes later. So
/// the call runs in its own task, which is cancelled at the deadline and left to finish by itself
/// (it then only drops its result); the caller's side is structured.
enum Deadline {
    /// The call did not finish within its deadline.
    struct Exceeded: Error, CustomStringConvertible {
        /// The deadline that passed.
        var deadline: Duration

        var description: String { "no answer within \(deadline)" }
    }

    /// The first of the call's result and the deadline's expiry.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var result: Result<T, any Error>?
            var waiter: CheckedContinuation<T, any Error>?
        }

        private let state = Mutex(State())

        /// Delivers `result` unless another one came first.
        func finish(_ result: Result<T, any Error>) {
            let waiter = state.withLock { current -> CheckedContinuation<T, any Error>? in
                guard current.result == nil else { return nil }
                current.result = result
                let waiter = current.waiter
                current.waiter = nil
                return waiter
            }
            waiter?.resume(with: result)
        }

        /// The first result delivered.
        func value() async throws -> T {
            try await withCheckedThrowingContinuation { continuation in
                let ready = state.withLock { current -> Result<T, any Error>? in
                    if let result = current.result { return result }
                    current.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }

    /// Returns what `operation` returns, or throws `Exceeded` once `deadline` passed (or
    /// `CancellationError` when the caller is cancelled) without waiting for it any longer.
    static func run<T: Sendable>(
        within deadline: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        let work = Task {
            do {
                race.finish(.success(try await operation()))
            } catch {
                race.finish(.failure(error))
            }
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await Task.sleep(for: deadline)
                    race.finish(.failure(Exceeded(deadline: deadline)))
                } catch {
                    race.finish(.failure(CancellationError()))
                }
                work.cancel()
            }
            defer { group.cancelAll() }
            return try await race.value()
        }
    }
}
