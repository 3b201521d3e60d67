import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `queuectl purge` and the retention keys, black-box.
@Suite("queuectl purge")
struct PurgeTests {
    @Test("purge deletes finished jobs older than --older-than with their logs, and prints how many",
          arguments: TestBackend.all)
    func purge(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.makeFinishedJobs(["old-1", "old-2"], age: 7200)
        try await cli.makeFinishedJobs(["new-1"], age: 5)
        try await cli.makeFinishedJobs(["old-dead"], state: .dead, age: 7200)
        try await cli.run("enqueue", "--id", "waiting", "--command", "true").expectSuccess()

        let dryRun = try await cli.run("purge", "--state", "completed", "--older-than", "1h", "--dry-run")
        dryRun.expectSuccess()
        #expect(dryRun.stdout == "would purge 2 jobs (dry run: nothing was deleted)\n")
        let dryJSON = try await cli.run("purge", "--state", "completed", "--older-than", "3600", "--dry-run", "--json")
        #expect(dryJSON.stdout == #"["old-1","old-2"]"# + "\n", "\(dryJSON)")
        #expect(try await cli.statusJSON().hasPrefix(#"{"pending":1,"processing":0,"completed":3,"failed":0,"dead":1"#))
        #expect(cli.hasLogFile("old-1"))

        let purged = try await cli.run("purge", "--state", "completed", "--older-than", "1h")
        purged.expectSuccess()
        #expect(purged.stdout == "purged 2 jobs\n")
        for id in ["old-1", "old-2"] {
            try await cli.run("show", id).expectError(status: 1, mentioning: ["'\(id)'"])
            #expect(!cli.hasLogFile(id))
        }
        #expect(cli.hasLogFile("new-1") && cli.hasLogFile("old-dead"))

        let json = try await cli.run("purge", "--state", "completed", "--state", "dead", "--json")
        json.expectSuccess()
        #expect(Set(try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String])) == ["new-1", "old-dead"])
        #expect(try await cli.statusJSON().hasPrefix(#"{"pending":1,"processing":0,"completed":0,"failed":0,"dead":0"#))
        #expect(try await cli.run("purge", "--state", "dead").stdout == "purged 0 jobs\n")
    }

    @Test("purge --queue deletes only that queue's jobs", arguments: TestBackend.all)
    func purgeQueue(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.makeDeadJobs(["dead-fixture"])
        try await cli.makeFinishedJobs(["done-default"], state: .dead, age: 60)
        let result = try await cli.run("purge", "--state", "dead", "--queue", "fixture")
        result.expectSuccess()
        #expect(result.stdout == "purged 1 job\n")
        #expect(try await cli.run("dlq", "list", "--json").jsonArray().map { $0["id"] as? String } == ["done-default"])
    }

    @Test("purge of a state that is not finished, of no state, or with a bad duration or queue is exit 2",
          arguments: [
            (["purge", "--state", "pending"], ["finished jobs only", "pending"]),
            (["purge", "--state", "completed", "--state", "failed"], ["not failed ones"]),
            (["purge", "--state", "processing"], ["processing"]),
            (["purge"], ["--state"]),
            (["purge", "--state", "done"], ["unknown state 'done'"]),
            (["purge", "--state", "completed", "--older-than", "-5"], ["--older-than", "negative"]),
            (["purge", "--state", "completed", "--older-than", "5x"], ["--older-than", "5x"]),
            (["purge", "--state", "completed", "--queue", "bad queue!"], ["bad queue!"]),
          ])
    func usageErrors(arguments: [String], fragments: [String]) async throws {
        let cli = try await CLI(.sqlite)
        try await cli.makeFinishedJobs(["done-1"], age: 60)
        let before = try await cli.statusJSON()
        try await cli.run(arguments).expectError(status: 2, mentioning: fragments)
        #expect(try await cli.statusJSON() == before)
        #expect(cli.hasLogFile("done-1"))
    }

    @Test("purge --dry-run on a home that does not exist answers 0 and creates nothing")
    func dryRunReadsOnly() async throws {
        let cli = try await CLI(.sqlite)
        let result = try await cli.run("purge", "--state", "completed", "--dry-run")
        result.expectSuccess()
        #expect(result.stdout == "would purge 0 jobs (dry run: nothing was deleted)\n")
        #expect(!FileManager.default.fileExists(atPath: cli.home))
    }

    @Test("the retention keys are set, read back and range-checked", arguments: TestBackend.all)
    func retentionKeys(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("config", "set", "retention_completed", "3600").expectSuccess()
        try await cli.run("config", "set", "retention-dead", "86400").expectSuccess()
        #expect(try await cli.run("config", "get", "retention_completed").stdout == "3600\n")
        let json = try await cli.run("config", "list", "--json").jsonObject()
        #expect(json["retention_completed"] as? Int == 3600)
        #expect(json["retention_dead"] as? Int == 86400)
        #expect(json["retention_cancelled"] as? Int == 604_800)
        try await cli.run("config", "set", "retention_dead", "-1").expectError(status: 2, mentioning: ["retention_dead"])
        try await cli.run("config", "set", "retention_cancelled", "1d").expectError(
            status: 2, mentioning: ["retention_cancelled"])
        #expect(try await cli.run("config", "get", "retention_dead").stdout == "86400\n")
    }
}
