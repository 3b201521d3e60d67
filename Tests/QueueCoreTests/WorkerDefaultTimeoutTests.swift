import Foundation
import QueueCore
import Testing

/// Which timeout a worker started with `--timeout` applies.
@Suite("Worker default timeout")
struct WorkerDefaultTimeoutTests {
    @Test("a worker's default replaces the configured one only for jobs that named none")
    func workerDefault() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var config = QueueConfig()
        config.jobTimeout = 60
        let unnamed = try JobSpec(command: "true").resolved(config: config, now: now)
        let named = try JobSpec(command: "true", timeout: 60).resolved(config: config, now: now)
        let none = try JobSpec(command: "true", timeout: 0).resolved(config: config, now: now)
        #expect(unnamed.timeout(workerDefault: 5) == 5)
        #expect(unnamed.timeout(workerDefault: nil) == 60)
        #expect(named.timeout(workerDefault: 5) == 60)
        #expect(none.timeout(workerDefault: 5) == 0, "an explicit 0 (no limit) is the job's own choice")
    }
}
