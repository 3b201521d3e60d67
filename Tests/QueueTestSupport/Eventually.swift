import Foundation

/// Polls `condition` every `poll` until it holds or `timeout` passes; returns whether it held.
/// Tests use this instead of fixed sleeps, with generous deadlines so a loaded machine doesn't flake:
/// `#expect(try await eventually { try await store.job(id)?.state == .completed })`.
public func eventually(
    timeout: Duration = .seconds(20), poll: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        if try await condition() { return true }
        if clock.now >= deadline { return false }
        try await Task.sleep(for: poll)
    }
}
