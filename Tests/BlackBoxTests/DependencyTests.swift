import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `enqueue --after` / `"after"`, black-box: a job runs only after the jobs it names completed, is cancelled at
/// once when one of them already ended dead or cancelled, and an unknown id enqueues nothing.
@Suite("queuectl dependencies")
struct DependencyTests {
    @Test("--after and \"after\" make jobs run in order; the job document and show say what a job waits for", arguments: TestBackend.all)
    func runsInOrder(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let marks = cli.home + "/order"
        try await cli.withWorkerScope {
            try await cli.run("enqueue", "--id", "build", "--command", "sleep 1; echo build >> \(marks)").expectSuccess()
            // A prefix of 4 characters names the job, as everywhere.
            let test = try await cli.run("enqueue", "--after", "buil", "--json", "--command", "echo test >> \(marks)")
            test.expectSuccess()
            let testJob = try test.jsonObject()
            let testID = try #require(testJob["id"] as? String)
            #expect(testJob["after"] as? [String] == ["build"])
            #expect(testJob["state"] as? String == "pending")
            let deploy = try await cli.run("enqueue", #"{"id":"deploy","command":"echo deploy >> \#(marks)","after":["\#(testID)","build"]}"#)
            deploy.expectSuccess()

            let shown = try await cli.run("show", "deploy")
            shown.expectSuccess()
            #expect(Self.field("after", of: shown) == "\(testID) (pending), build (pending)", "\(shown)")
            #expect(Self.field("waiting_for", of: shown) == "\(testID), build", "\(shown)")
            let plain = try await cli.run("show", "build", "--json").stdout
            #expect(plain.hasSuffix(#""after":[]}"# + "\n"), "\(plain)")

            try await cli.run("worker", "start", "--count", "3").expectSuccess()
            try await cli.run(["wait", "deploy", "--timeout", "60"], timeout: .seconds(90)).expectSuccess()
            try await cli.run(["worker", "stop"], timeout: .seconds(90)).expectSuccess()
        }
        #expect(try String(contentsOfFile: marks, encoding: .utf8) == "build\ntest\ndeploy\n")
        let done = try await cli.run("show", "deploy")
        let testID = try #require(Self.field("after", of: done)?.split(separator: " ").first.map(String.init))
        #expect(Self.field("waiting_for", of: done) == "-", "\(done)")
        #expect(Self.field("after", of: done) == "\(testID) (completed), build (completed)", "\(done)")
    }

    /// The value `show` prints for `name` (`name:` then spaces, then the value).
    static func field(_ name: String, of result: CLIResult) -> String? {
        for line in result.stdout.split(separator: "\n") where line.hasPrefix(name + ":") {
            return line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    @Test("an id that names no job, in the queue or earlier in the batch, is exit 1 and enqueues nothing", arguments: TestBackend.all)
    func unknownIDEnqueuesNothing(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "--id", "known", "--command", "true").expectSuccess()
        let before = try await cli.statusJSON()
        try await cli.run("enqueue", "--after", "nosuch", "--command", "true")
            .expectError(status: 1, mentioning: ["after", "'nosuch'", "nothing was enqueued"])
        // A later job of the batch cannot stand for an earlier one's dependency.
        let batch = """
            [{"id":"one","command":"true","after":["known"]},{"id":"two","command":"true","after":["three"]},
             {"id":"three","command":"true"}]
            """
        try await cli.run(["enqueue", "-"], stdin: batch).expectError(status: 1, mentioning: ["job 2", "'three'"])
        try await cli.run("enqueue", "--after", "", "--command", "true").expectError(status: 2, mentioning: ["after"])
        try await cli.run("enqueue", #"{"command":"true","after":"known"}"#).expectError(status: 2, mentioning: ["'after'", "array"])
        #expect(try await cli.statusJSON() == before)
        #expect(try await cli.run("list", "--json").jsonArray().map { $0["id"] as? String } == ["known"])

        // An earlier job of the same batch is found, by id or prefix.
        let good = """
            [{"id":"first-step","command":"true"},{"id":"second","command":"true","after":["first"]}]
            """
        let added = try await cli.run(["enqueue", "-", "--json"], stdin: good)
        added.expectSuccess()
        #expect(try added.jsonArray().map { $0["after"] as? [String] } == [[], ["first-step"]])
    }

    @Test("--after a dead or cancelled job stores the new job cancelled at once, saying why", arguments: TestBackend.all)
    func afterEndedJob(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            try await cli.run("enqueue", "--id", "broken", "--max-retries", "0", "--command", "exit 3").expectSuccess()
            try await cli.run("worker", "start").expectSuccess()
            let waited = try await cli.run(["wait", "broken", "--timeout", "60"], timeout: .seconds(90))
            #expect(waited.status == 1, "\(waited)")
            try await cli.run(["worker", "stop"], timeout: .seconds(90)).expectSuccess()
        }
        try await cli.run("enqueue", "--id", "stopped", "--delay", "1h", "--command", "true").expectSuccess()
        try await cli.run("cancel", "stopped").expectSuccess()

        let afterDead = try await cli.run("enqueue", "--after", "broken", "--json", "--command", "true")
        #expect(afterDead.status == 0, "\(afterDead)")
        let dead = try afterDead.jsonObject()
        #expect(dead["state"] as? String == "cancelled")
        #expect(dead["last_error"] as? String == "dependency broken ended dead")

        let afterCancelled = try await cli.run("enqueue", "--id", "late", "--after", "stopped", "--command", "true")
        #expect(afterCancelled.stdout == "late\n")
        let late = try await cli.run("show", "late", "--json").jsonObject()
        #expect(late["state"] as? String == "cancelled")
        #expect(late["last_error"] as? String == "dependency stopped ended cancelled")
    }

    @Test("cancelling or removing a dependency cancels the jobs waiting for it, and theirs", arguments: TestBackend.all)
    func cascades(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "--id", "root", "--delay", "1h", "--command", "true").expectSuccess()
        try await cli.run("enqueue", "--id", "child", "--after", "root", "--command", "true").expectSuccess()
        try await cli.run("enqueue", "--id", "grandchild", "--after", "child", "--command", "true").expectSuccess()
        try await cli.run("enqueue", "--id", "other", "--delay", "1h", "--command", "true").expectSuccess()
        try await cli.run("enqueue", "--id", "orphan", "--after", "other", "--command", "true").expectSuccess()

        try await cli.run("cancel", "root").expectSuccess()
        for id in ["child", "grandchild"] {
            let job = try await cli.run("show", id, "--json").jsonObject()
            #expect(job["state"] as? String == "cancelled")
            #expect(job["last_error"] as? String == "dependency root ended cancelled")
        }
        try await cli.run("remove", "other").expectSuccess()
        let orphan = try await cli.run("show", "orphan", "--json").jsonObject()
        #expect(orphan["state"] as? String == "cancelled")
        #expect(orphan["last_error"] as? String == "dependency other removed")
    }
}
