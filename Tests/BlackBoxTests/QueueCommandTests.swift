import Foundation
import QueueCore
import QueueTestSupport
import Testing

@Suite("queuectl queue")
struct QueueCommandTests {
    /// `queue list --json` as (queue, document) pairs.
    private func queues(_ cli: CLI) async throws -> [String: [String: Any]] {
        let documents = try await cli.run("queue", "list", "--json").jsonArray()
        return Dictionary(uniqueKeysWithValues: documents.map { ($0["queue"] as? String ?? "", $0) })
    }

    @Test("queue list shows counts per state, paused and limit, as a table and as JSON with exactly the contract's keys", arguments: TestBackend.all)
    func listPauseResumeLimit(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let empty = try await cli.run("queue", "list")
        empty.expectSuccess()
        #expect(empty.stdout == "no queues\n")
        #expect(try await cli.run("queue", "list", "--json").stdout == "[]\n")
        #expect(!FileManager.default.fileExists(atPath: cli.home), "queue list created the home")

        try await cli.run("enqueue", "--command", "true", "--queue", "mail").expectSuccess()
        try await cli.run("enqueue", "--command", "true", "--queue", "mail").expectSuccess()
        try await cli.run("enqueue", "--command", "true").expectSuccess()
        let paused = try await cli.run("queue", "pause", "mail", "later")
        paused.expectSuccess()
        #expect(paused.stdout == "later\nmail\n")
        try await cli.run("queue", "limit", "default", "3").expectSuccess()

        let documents = try await cli.run("queue", "list", "--json").jsonArray()
        #expect(documents.map { $0["queue"] as? String } == ["default", "later", "mail"])
        #expect(documents.allSatisfy {
            Set($0.keys) == ["queue", "pending", "processing", "completed", "failed", "dead", "cancelled", "paused", "limit"]
        })
        let mail = try #require(documents.last)
        #expect(mail["pending"] as? Int == 2 && mail["processing"] as? Int == 0 && mail["completed"] as? Int == 0)
        #expect(mail["paused"] as? Bool == true && mail["limit"] as? Int == 0)
        #expect(documents.first?["limit"] as? Int == 3 && documents.first?["paused"] as? Bool == false)
        #expect(documents[1]["pending"] as? Int == 0 && documents[1]["paused"] as? Bool == true)

        let table = try await cli.run(["queue", "list"], environment: ["COLUMNS": "200"])
        table.expectSuccess()
        #expect(table.lines.first?.split(separator: " ").joined(separator: " ")
            == "QUEUE PENDING PROCESSING COMPLETED FAILED DEAD CANCELLED PAUSED LIMIT")
        #expect(table.lines.last?.split(separator: " ").joined(separator: " ") == "mail 2 0 0 0 0 0 yes -", "\(table)")

        let resumed = try await cli.run("queue", "resume", "--all")
        resumed.expectSuccess()
        #expect(resumed.stdout == "default\nlater\nmail\n")
        try await cli.run("queue", "limit", "default", "0").expectSuccess()
        let after = try await queues(cli)
        #expect(after.keys.sorted() == ["default", "mail"])
        #expect(after.values.allSatisfy { $0["paused"] as? Bool == false && $0["limit"] as? Int == 0 })
    }

    @Test("bad queue input is one line on stderr, exit 2, and changes nothing", arguments: TestBackend.all)
    func badInput(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "--command", "true", "--queue", "mail").expectSuccess()
        let cases: [([String], [String])] = [
            (["queue", "pause"], ["at least one queue", "--all"]),
            (["queue", "resume"], ["at least one queue", "--all"]),
            (["queue", "pause", "mail", "--all"], ["not both"]),
            (["queue", "resume", "mail", "--all"], ["not both"]),
            (["queue", "pause", "mail", "bad name"], ["invalid queue name 'bad name'"]),
            (["queue", "pause", ".hidden"], ["invalid queue name '.hidden'"]),
            (["queue", "limit", "mail", "-1"], ["invalid queue limit '-1'"]),
            (["queue", "limit", "mail", "2", "3"], ["give one limit"]),
            (["queue", "limit", "mail", "two"], ["invalid queue limit 'two'"]),
            (["queue", "limit", "mail", "2.5"], ["invalid queue limit '2.5'"]),
            (["queue", "limit", "mail"], ["give one limit"]),
            (["queue", "limit", "bad/name", "2"], ["invalid queue name 'bad/name'"]),
        ]
        for (arguments, fragments) in cases {
            try await cli.run(arguments).expectError(status: 2, mentioning: fragments)
        }
        let mail = try #require(try await queues(cli)["mail"])
        #expect(mail["paused"] as? Bool == false && mail["limit"] as? Int == 0)
        #expect(try await queues(cli).count == 1)
    }

    @Test("workers claim nothing from a paused queue (even one paused before its first job) until it is resumed", arguments: TestBackend.all)
    func pausedQueueWaitsForResume(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            try await cli.run("queue", "pause", "held").expectSuccess()
            try await cli.run(["enqueue", "--id", "held-job", "--queue", "held", "--command", "true"]).expectSuccess()
            try await cli.run("worker", "start").expectSuccess()
            try await cli.run(["enqueue", "--id", "free-job", "--command", "true"]).expectSuccess()
            try await cli.run(["wait", "free-job", "--timeout", "60"], timeout: .seconds(90)).expectSuccess()
            #expect(try await queues(cli)["held"]?["pending"] as? Int == 1)

            try await cli.run("queue", "resume", "held").expectSuccess()
            try await cli.run(["wait", "held-job", "--timeout", "60"], timeout: .seconds(90)).expectSuccess()
            try await cli.run(["worker", "stop"], timeout: .seconds(90)).expectSuccess()
        }
    }

    @Test("a queue limited to 1 runs its jobs one at a time on a worker with 3 slots", arguments: TestBackend.all)
    func limitRunsOneAtATime(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            try await cli.run("queue", "limit", "single", "1").expectSuccess()
            for index in 1...3 {
                try await cli.run(["enqueue", "--id", "s\(index)", "--queue", "single", "--command", "sleep 0.5"])
                    .expectSuccess()
            }
            try await cli.run("worker", "start", "--count", "3").expectSuccess()
            var mostProcessing = 0
            #expect(try await eventually(timeout: .seconds(60), poll: .milliseconds(50)) {
                let single = try await queues(cli)["single"]
                mostProcessing = max(mostProcessing, single?["processing"] as? Int ?? 0)
                return single?["completed"] as? Int == 3
            })
            #expect(mostProcessing == 1)
            try await cli.run(["worker", "stop"], timeout: .seconds(90)).expectSuccess()
        }
    }
}
