import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Unique id prefixes wherever a command takes a job id, black-box.
@Suite("job id prefixes")
struct JobIDPrefixTests {
    @Test("show, logs, wait and dlq retry take a unique prefix of 4 or more characters", arguments: TestBackend.all)
    func uniquePrefix(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run(["enqueue", "--id", "xyzw-3333-tail", "--command", "true"]).expectSuccess()
        try await cli.makeDeadJobs(["dead-4444-tail"])

        let shown = try await cli.run("show", "xyzw", "--json")
        shown.expectSuccess()
        #expect(try shown.jsonObject()["id"] as? String == "xyzw-3333-tail")
        try await cli.run("logs", "xyzw-3").expectSuccess()
        try await cli.run("wait", "dead", "--timeout", "5").expectError(status: 1, mentioning: ["'dead-4444-tail'", "dead"])
        let retried = try await cli.run("dlq", "retry", "dead-44")
        retried.expectSuccess()
        #expect(retried.stdout == "dead-4444-tail\n")
    }

    @Test("an exact id wins over the longer ids it starts", arguments: TestBackend.all)
    func exactWins(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        for id in ["abcd", "abcd-1", "abcd-2"] {
            try await cli.run(["enqueue", "--id", id, "--command", "true"]).expectSuccess()
        }
        let shown = try await cli.run("show", "abcd", "--json")
        shown.expectSuccess()
        #expect(try shown.jsonObject()["id"] as? String == "abcd")
    }

    @Test("an ambiguous prefix exits 1 naming candidates; a short or unmatched one is no such job", arguments: TestBackend.all)
    func ambiguousAndUnknown(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        for id in ["job-1111", "job-2222", "job-3333", "job-4444", "solo-5555"] {
            try await cli.run(["enqueue", "--id", id, "--command", "true"]).expectSuccess()
        }
        for command in [["show"], ["logs"], ["wait"], ["dlq", "retry"]] {
            try await cli.run(command + ["job-"]).expectError(
                status: 1, mentioning: ["'job-'", "ambiguous", "'job-1111'", "'job-2222'", "'job-3333'", "and more"])
        }
        try await cli.run("show", "sol").expectError(status: 1, mentioning: ["no job with id 'sol'"])
        try await cli.run("show", "nothing-like-it").expectError(status: 1, mentioning: ["no job with id 'nothing-like-it'"])
    }
}
