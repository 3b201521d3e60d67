import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Durations with units on every option that takes seconds, and their range errors, black-box.
@Suite("duration options")
struct DurationOptionTests {
    @Test("enqueue --delay and --timeout take units; the JSON fields stay numbers of seconds", arguments: TestBackend.all)
    func enqueueUnits(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let before = Date()
        let job = try await cli.run("enqueue", "true", "--delay", "15m", "--timeout", "2m", "--json").jsonObject()
        #expect(job["timeout"] as? Int == 120)
        let runAtText = try #require(job["run_at"] as? String)
        let runAt = try #require(Timestamp.parse(runAtText))
        #expect(abs(runAt.timeIntervalSince(before) - 900) < 30, "\(job)")
        let short = try await cli.run("enqueue", "true", "--delay", "500ms", "--json").jsonObject()
        #expect(short["delay"] == nil, "delay is not echoed")
    }

    @Test("a negative, malformed or fractional duration is exit 2 naming the option, and changes nothing", arguments: TestBackend.all)
    func rejected(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run(["enqueue", "--id", "idle", "--command", "true"]).expectSuccess()
        let status = try await cli.statusJSON()
        try await cli.run("wait", "idle", "--timeout", "-1").expectError(status: 2, mentioning: ["--timeout", "out of range"])
        try await cli.run("worker", "stop", "--timeout", "-3").expectError(status: 2, mentioning: ["--timeout", "out of range"])
        try await cli.run("enqueue", "true", "--delay", "-5").expectError(status: 2, mentioning: ["--delay", "out of range"])
        try await cli.run("enqueue", "true", "--timeout", "-5s").expectError(status: 2, mentioning: ["--timeout", "out of range"])
        try await cli.run("enqueue", "true", "--delay", "soon").expectError(status: 2, mentioning: ["--delay", "500ms"])
        try await cli.run("enqueue", "true", "--timeout", "1500ms").expectError(status: 2, mentioning: ["--timeout", "whole seconds"])
        #expect(try await cli.statusJSON() == status)
    }

    @Test("wait --timeout takes a unit", arguments: TestBackend.all)
    func waitUnits(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run(["enqueue", "--id", "idle", "--command", "true"]).expectSuccess()
        let started = ContinuousClock.now
        try await cli.run("wait", "idle", "--timeout", "300ms").expectError(status: 1, mentioning: ["timed out", "idle"])
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
