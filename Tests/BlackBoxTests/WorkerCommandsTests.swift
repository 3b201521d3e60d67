import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `wait`, `logs` and the worker commands' usage errors, black-box.
@Suite("wait and logs")
struct WorkerCommandsTests {
    @Test("wait exits 0 when every job completed and 1 naming a dead one", arguments: TestBackend.all)
    func waitOutcomes(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            try await cli.run(["enqueue", "--id", "a", "--command", "true"]).expectSuccess()
            try await cli.run(["enqueue", "--id", "b", "--command", "sleep 1"]).expectSuccess()
            try await cli.run(["enqueue", "--id", "c", "--max-retries", "0", "--command", "exit 2"]).expectSuccess()
            try await cli.run("worker", "start", "--count", "2").expectSuccess()
            try await cli.run(["wait", "a", "b", "--timeout", "90"], timeout: .seconds(150)).expectSuccess()
            try await cli.run(["wait", "a", "c", "--timeout", "90"], timeout: .seconds(150)).expectError(
                status: 1, mentioning: ["'c'", "dead", "exited with code 2"])
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("wait fails clearly for an unknown job and when its timeout passes", arguments: TestBackend.all)
    func waitFailures(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("wait", "nope").expectError(status: 1, mentioning: ["nope"])
        try await cli.run(["enqueue", "--id", "idle", "--command", "true"]).expectSuccess()
        let started = ContinuousClock.now
        try await cli.run("wait", "idle", "--timeout", "0.5").expectError(status: 1, mentioning: ["timed out", "idle"])
        #expect(ContinuousClock.now - started < .seconds(60))
        try await cli.run("wait", "idle", "--timeout", "-1").expectError(status: 2, mentioning: ["--timeout"])
    }

    @Test("logs prints a header per attempt and the job's output; unknown jobs exit 1", arguments: TestBackend.all)
    func logs(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("logs", "nope").expectError(status: 1, mentioning: ["nope"])
        try await cli.run(["enqueue", "--id", "talk", "--command", "echo out; echo err >&2"]).expectSuccess()
        let before = try await cli.run("logs", "talk")
        before.expectSuccess()
        #expect(before.stdout.isEmpty)
        try await cli.withWorkerScope {
            try await cli.run("worker", "start").expectSuccess()
            try await cli.run(["wait", "talk", "--timeout", "90"], timeout: .seconds(150)).expectSuccess()
            let logs = try await cli.run("logs", "talk")
            logs.expectSuccess()
            #expect(logs.lines.first?.hasPrefix("--- attempt 1 · ") == true)
            #expect(logs.lines.dropFirst().dropLast().sorted() == ["err", "out"])
            #expect(logs.lines.last?.hasPrefix("--- end of attempt 1 · exited with code 0 · ") == true, "\(logs)")
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("logs --follow prints output as it comes and returns when the job is done", arguments: TestBackend.all)
    func follow(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            try await cli.run(["enqueue", "--id", "steps", "--command", "echo one; sleep 1; echo two"]).expectSuccess()
            try await cli.run("worker", "start").expectSuccess()
            let follow = try await cli.run(["logs", "steps", "--follow"], timeout: .seconds(150))
            follow.expectSuccess()
            #expect(follow.lines.dropFirst().dropLast() == ["one", "two"])
            #expect(follow.lines.last?.hasPrefix("--- end of attempt 1 · exited with code 0 · ") == true, "\(follow)")
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("worker commands reject bad options with exit 2", arguments: [TestBackend.sqlite])
    func usage(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("worker", "start", "--count", "0").expectError(status: 2, mentioning: ["--count"])
        try await cli.run("worker", "run", "--count", "999").expectError(status: 2, mentioning: ["--count"])
        try await cli.run("worker", "stop", "--timeout", "-3").expectError(status: 2, mentioning: ["--timeout"])
    }
}
