import Foundation
import QueueTestSupport
import Testing

/// One rule for every command that takes several job ids and changes jobs: naming a job twice (the same id,
/// or a prefix and the full id, or two prefixes) is a usage error that changes nothing.
@Suite("ids given twice")
struct RepeatedJobIDTests {
    /// Each command with the job it would otherwise act on: a delayed pending job or a dead one.
    static let commands: [(words: [String], job: String)] = [
        (["cancel"], "wait-abcdef"), (["dlq", "retry"], "dead-abcdef"), (["remove"], "wait-abcdef"),
        (["restart"], "dead-abcdef"), (["promote"], "wait-abcdef"),
    ]

    @Test("cancel, dlq retry, remove, restart and promote refuse a job named twice with exit 2, changing nothing", arguments: TestBackend.all)
    func namedTwice(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "--id", "wait-abcdef", "--delay", "1h", "--command", "true").expectSuccess()
        try await cli.makeDeadJobs(["dead-abcdef"])
        let before = try await cli.statusJSON()

        for (words, job) in Self.commands {
            let prefix = String(job.prefix(8))
            let shorter = String(job.prefix(6))
            let twice = try await cli.run(words + [job, job])
            twice.expectError(status: 2)
            #expect(twice.stderr == "queuectl: job id '\(job)' is given more than once; give each job once\n", "\(words)")
            let prefixAndFull = try await cli.run(words + [prefix, job])
            prefixAndFull.expectError(status: 2)
            #expect(
                prefixAndFull.stderr == "queuectl: '\(prefix)' and '\(job)' both name job '\(job)'; give each job once\n",
                "\(words)")
            try await cli.run(words + [shorter, prefix]).expectError(
                status: 2, mentioning: ["'\(shorter)'", "'\(prefix)'", "both name job '\(job)'"])
        }
        #expect(try await cli.statusJSON() == before, "nothing changed")
        #expect(try await cli.run("show", "wait-abcdef", "--json").jsonObject()["state"] as? String == "pending")
        #expect(try await cli.run("show", "dead-abcdef", "--json").jsonObject()["state"] as? String == "dead")

        // Each job named once, the same commands go through.
        try await cli.run("cancel", "wait-abcdef").expectSuccess()
        try await cli.run("dlq", "retry", "dead").expectSuccess()
    }
}
