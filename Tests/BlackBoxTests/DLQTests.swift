import Foundation
import QueueTestSupport
import Testing

@Suite("queuectl dlq")
struct DLQTests {
    @Test("dlq list shows only the dead jobs", arguments: TestBackend.all)
    func list(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "--id", "alive", "--command", "true").expectSuccess()
        try await cli.makeDeadJobs(["d1", "d2"])
        let json = try await cli.run("dlq", "list", "--json")
        json.expectSuccess()
        let jobs = try json.jsonArray()
        #expect(jobs.map { $0["id"] as? String } == ["d1", "d2"])
        #expect(jobs.allSatisfy { $0["state"] as? String == "dead" && $0["attempts"] as? Int == 1 })
        #expect(jobs.allSatisfy { $0["exit_code"] as? Int == 3 && $0["last_error"] as? String == "exited with code 3" })

        let table = try await cli.run("dlq", "list")
        table.expectSuccess()
        try #require(table.lines.count == 3, "\(table)")
        #expect(table.lines[1].hasPrefix("d1 ") && table.lines[1].contains("exited with code 3"))
        #expect(!table.stdout.contains("alive"))
    }

    @Test("dlq retry moves dead jobs back to pending with attempts 0", arguments: TestBackend.all)
    func retry(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.makeDeadJobs(["d1", "d2", "d3"])
        let result = try await cli.run("dlq", "retry", "d1", "d3")
        result.expectSuccess()
        #expect(Set(result.lines) == ["d1", "d3"])
        let job = try await cli.run("show", "d1", "--json").jsonObject()
        #expect(job["state"] as? String == "pending")
        #expect(job["attempts"] as? Int == 0)
        #expect(try await cli.run("dlq", "list", "--json").jsonArray().map { $0["id"] as? String } == ["d2"])
    }

    @Test("dlq retry --all moves every dead job", arguments: TestBackend.all)
    func retryAll(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.makeDeadJobs(["d1", "d2"])
        let result = try await cli.run("dlq", "retry", "--all")
        result.expectSuccess()
        #expect(Set(result.lines) == ["d1", "d2"])
        #expect(try await cli.statusJSON().hasPrefix(#"{"pending":2,"processing":0,"completed":0,"failed":0,"dead":0"#))
        let again = try await cli.run("dlq", "retry", "--all")
        again.expectSuccess()
        #expect(again.stdout.isEmpty)
    }

    @Test("dlq retry of a job that is not dead or unknown exits 1 and moves nothing", arguments: TestBackend.all)
    func retryRejects(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.makeDeadJobs(["d1"])
        try await cli.run("enqueue", "--id", "p1", "--command", "true").expectSuccess()
        let before = try await cli.statusJSON()
        try await cli.run("dlq", "retry", "d1", "p1").expectError(status: 1, mentioning: ["'p1'", "pending", "not dead"])
        try await cli.run("dlq", "retry", "d1", "ghost").expectError(status: 1, mentioning: ["'ghost'"])
        #expect(try await cli.statusJSON() == before)
        try await cli.makeFailedAndProcessingJobs(failed: "f1", processing: "r1")
        let withFailed = try await cli.statusJSON()
        #expect(withFailed.contains(#""processing":1"#) && withFailed.contains(#""failed":1"#), "\(withFailed)")
        try await cli.run("dlq", "retry", "f1").expectError(status: 1, mentioning: ["'f1'", "failed", "not dead"])
        try await cli.run("dlq", "retry", "d1", "r1").expectError(status: 1, mentioning: ["'r1'", "processing", "not dead"])
        #expect(try await cli.statusJSON() == withFailed)
        #expect(try await cli.run("show", "d1", "--json").jsonObject()["state"] as? String == "dead")
    }

    @Test("dlq retry needs either ids or --all", arguments: TestBackend.all)
    func retryUsage(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.makeDeadJobs(["d1"])
        try await cli.run("dlq", "retry").expectError(status: 2, mentioning: ["--all"])
        try await cli.run("dlq", "retry", "d1", "--all").expectError(status: 2, mentioning: ["not both"])
        try await cli.run("dlq", "retry", "../d1").expectError(status: 2, mentioning: ["'../d1'"])
        #expect(try await cli.statusJSON().contains(#""dead":1"#))
    }
}
