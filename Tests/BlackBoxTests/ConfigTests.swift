import Foundation
import QueueCore
import QueueTestSupport
import Testing

@Suite("queuectl config")
struct ConfigTests {
    @Test("config list shows the defaults, as JSON numbers with --json", arguments: TestBackend.all)
    func listDefaults(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let json = try await cli.run("config", "list", "--json")
        json.expectSuccess()
        #expect(
            json.stdout
                == #"{"max_retries":3,"backoff_base":2,"backoff_max":3600,"job_timeout":0,"poll_interval_ms":500,"lease_timeout":30,"retention_completed":604800,"retention_cancelled":604800,"retention_dead":0,"no_retry_exit_codes":[],"snooze_exit_code":75,"snooze_delay":10,"max_snoozes":100}"#
                + "\n")
        let table = try await cli.run("config", "list")
        table.expectSuccess()
        #expect(table.lines.dropFirst().map { $0.split(separator: " ").map(String.init) } == [
            ["max_retries", "3"], ["backoff_base", "2"], ["backoff_max", "3600"], ["job_timeout", "0"],
            ["poll_interval_ms", "500"], ["lease_timeout", "30"], ["retention_completed", "604800"],
            ["retention_cancelled", "604800"], ["retention_dead", "0"], ["no_retry_exit_codes"], ["snooze_exit_code", "75"],
            ["snooze_delay", "10"], ["max_snoozes", "100"],
        ])
    }

    @Test("the first retry decided after config set returned uses the new value, with a worker already running", arguments: TestBackend.all)
    func configSeenByNextDecision(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            try await cli.run("worker", "start").expectSuccess()
            // The worker read backoff_base 2 when it started. The job changes it and fails as soon as `config set`
            // has returned: well before the worker's next heartbeat would read the configuration again.
            let setBase = "'\(CLI.binary)' config set backoff_base 7 --home '\(cli.home)' --db '\(cli.databaseURL)'"
            try await cli.run(["enqueue", "--id", "flaky", "--max-retries", "1", "--command", "\(setBase); exit 1"])
                .expectSuccess()
            #expect(try await eventually(timeout: .seconds(120)) {
                try await cli.run("show", "flaky", "--json").jsonObject()["state"] as? String == "failed"
            })
            let job = try await cli.run("show", "flaky", "--json").jsonObject()
            let runAt = try #require((job["run_at"] as? String).flatMap(Timestamp.parse))
            let finishedAt = try #require((job["finished_at"] as? String).flatMap(Timestamp.parse))
            // 7^1 s with the new base (the old one gives 2 s).
            #expect(abs(runAt.timeIntervalSince(finishedAt) - 7) < 0.5, "\(job)")
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("config set and get accept snake_case and kebab-case keys", arguments: TestBackend.all)
    func setAndGet(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("config", "set", "max-retries", "5").expectSuccess()
        try await cli.run("config", "set", "backoff_base", "1.5").expectSuccess()
        #expect(try await cli.run("config", "get", "max_retries").stdout == "5\n")
        #expect(try await cli.run("config", "get", "max-retries").stdout == "5\n")
        #expect(try await cli.run("config", "get", "backoff-base").stdout == "1.5\n")
        let json = try await cli.run("config", "list", "--json").jsonObject()
        #expect(json["max_retries"] as? Int == 5)
        #expect(json["backoff_base"] as? Double == 1.5)
    }

    @Test("an unknown key or a bad value exits 2 and changes nothing", arguments: TestBackend.all)
    func rejects(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let before = try await cli.run("config", "list", "--json").stdout
        try await cli.run("config", "get", "colour").expectError(status: 2, mentioning: ["'colour'", "max_retries"])
        try await cli.run("config", "set", "colour", "red").expectError(status: 2, mentioning: ["'colour'"])
        try await cli.run("config", "set", "max_retries", "-1").expectError(status: 2, mentioning: ["max_retries", "-1"])
        try await cli.run("config", "set", "max_retries", "lots").expectError(status: 2, mentioning: ["lots"])
        try await cli.run("config", "set", "backoff_base", "0.5").expectError(status: 2, mentioning: ["backoff_base"])
        try await cli.run("config", "set", "lease_timeout", "1").expectError(status: 2, mentioning: ["lease_timeout"])
        try await cli.run("config", "set", "max_retries").expectError(status: 2)
        try await cli.run("config", "set", "max_retries", "a", "b").expectError(status: 2, mentioning: ["one value", "a b"])
        for value in ["0x10", "1e3", "inf", "nan", "0b11", "2_0"] {
            try await cli.run("config", "set", "backoff_base", value)
                .expectError(status: 2, mentioning: ["'\(value)'", "backoff_base", "number"])
        }
        #expect(try await cli.run("config", "list", "--json").stdout == before)
    }
}
