import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `enqueue --unique-key` / `"unique_key"`, black-box: while a job with the key waits or runs, another enqueue
/// with it adds nothing, prints that job and exits 0; once the job completed the key is free again.
@Suite("queuectl unique jobs")
struct UniqueJobTests {
    @Test("a held key prints the existing id, says 'already queued as' on stderr and exits 0", arguments: TestBackend.all)
    func heldKey(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let first = try await cli.run("enqueue", "--id", "nightly-1", "--unique-key", "nightly", "--command", "true")
        first.expectSuccess()
        #expect(first.stdout == "nightly-1\n")
        #expect(!first.stderr.contains("already queued"))

        let again = try await cli.run("enqueue", "--unique-key", "nightly", "--command", "echo other")
        #expect(again.status == 0)
        #expect(again.stdout == "nightly-1\n")
        #expect(again.stderr == "queuectl: already queued as nightly-1\n", "\(again)")

        let json = try await cli.run("enqueue", #"{"command":"echo third","unique_key":"nightly"}"#, "--json").jsonObject()
        #expect(json["id"] as? String == "nightly-1")
        #expect(json["command"] as? String == "true")
        #expect(json["unique_key"] as? String == "nightly")
        #expect(try await cli.run("list", "--json").jsonArray().count == 1)

        // The addition comes last; a job without a key shows null.
        try await cli.run("enqueue", "--id", "plain", "--command", "true").expectSuccess()
        let shown = try await cli.run("show", "plain", "--json").stdout
        #expect(shown.hasSuffix(#""unique_key":null,"after":[]}"# + "\n"), "\(shown)")
    }

    @Test("a batch with a held key enqueues the others and prints the holder for that one", arguments: TestBackend.all)
    func batch(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "--id", "holder", "--unique-key", "sync", "--command", "true").expectSuccess()
        let batch = """
            {"id":"a","command":"true"}
            {"id":"b","command":"true","unique_key":"sync"}
            {"id":"c","command":"true","unique_key":"mail"}
            """
        let result = try await cli.run(["enqueue", "-"], stdin: batch)
        #expect(result.status == 0)
        #expect(result.stdout == "a\nholder\nc\n")
        #expect(result.stderr == "queuectl: job 2: already queued as holder\n", "\(result)")
        #expect(try await cli.run("list", "--json").jsonArray().map { $0["id"] as? String } == ["holder", "a", "c"])

        let json = try await cli.run(["enqueue", "-", "--json"], stdin: #"[{"command":"true","unique_key":"mail"}]"#)
        #expect(json.status == 0)
        #expect(json.stderr == "queuectl: already queued as c\n", "\(json)")
        #expect(try json.jsonArray().map { $0["id"] as? String } == ["c"])
    }

    @Test("a key repeated inside a batch, or a bad key, is exit 2 and adds nothing", arguments: TestBackend.all)
    func badInput(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let before = try await cli.statusJSON()
        let repeated = """
            [{"id":"x","command":"true","unique_key":"k"},{"id":"y","command":"true","unique_key":"k"}]
            """
        try await cli.run(["enqueue", "-"], stdin: repeated).expectError(status: 2, mentioning: ["job 2", "unique_key 'k'", "job 1"])
        try await cli.run("enqueue", "--unique-key", "", "--command", "true").expectError(status: 2, mentioning: ["unique_key", "1 to 200"])
        try await cli.run("enqueue", "--unique-key", String(repeating: "k", count: 201), "--command", "true")
            .expectError(status: 2, mentioning: ["1 to 200"])
        try await cli.run("enqueue", "--unique-key", "a\tb", "--command", "true").expectError(status: 2, mentioning: ["control characters"])
        try await cli.run("enqueue", #"{"command":"true","unique_key":7}"#).expectError(status: 2, mentioning: ["'unique_key'", "string"])
        #expect(try await cli.statusJSON() == before)
    }

    @Test("the key is free again once its job completed", arguments: TestBackend.all)
    func freeAfterCompletion(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            try await cli.run("enqueue", "--id", "first", "--unique-key", "once", "--command", "true").expectSuccess()
            try await cli.run("worker", "start").expectSuccess()
            try await cli.run(["wait", "first", "--timeout", "60"], timeout: .seconds(90)).expectSuccess()
            let next = try await cli.run("enqueue", "--id", "second", "--unique-key", "once", "--command", "true")
            next.expectSuccess()
            #expect(next.stdout == "second\n")
            #expect(!next.stderr.contains("already queued"))
            try await cli.run(["wait", "second", "--timeout", "60"], timeout: .seconds(90)).expectSuccess()
            try await cli.run(["worker", "stop"], timeout: .seconds(90)).expectSuccess()
        }
        #expect(try await cli.run("list", "--json").jsonArray().map { $0["unique_key"] as? String } == ["once", "once"])
    }
}
