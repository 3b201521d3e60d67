import Foundation
import QueueTestSupport
import Testing

@Suite("queuectl status, list and show")
struct InspectionTests {
    @Test("status --json prints every count in contract order", arguments: TestBackend.all)
    func statusJSON(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let empty = try await cli.run("status", "--json")
        empty.expectSuccess()
        #expect(empty.stdout == #"{"pending":0,"processing":0,"completed":0,"failed":0,"dead":0,"cancelled":0,"workers":0}"# + "\n")

        try await cli.run("enqueue", "true").expectSuccess()
        try await cli.run("enqueue", "true").expectSuccess()
        try await cli.makeDeadJobs(["d1"])
        #expect(try await cli.statusJSON() == #"{"pending":2,"processing":0,"completed":0,"failed":0,"dead":1,"cancelled":0,"workers":0}"# + "\n")
    }

    @Test("status prints an aligned table of the six states and the workers", arguments: TestBackend.all)
    func statusTable(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "true").expectSuccess()
        let result = try await cli.run("status")
        result.expectSuccess()
        let rows = result.lines.dropFirst().map { $0.split(separator: " ").map(String.init) }
        #expect(rows.map(\.first) == ["pending", "processing", "completed", "failed", "dead", "cancelled", "workers"])
        #expect(rows.map(\.last) == ["1", "0", "0", "0", "0", "0", "0"])
        var valueColumns = Set<Int>()
        for line in result.lines {
            let space = try #require(line.lastIndex(of: " "), "no space in '\(line)'")
            valueColumns.insert(line.distance(from: line.startIndex, to: space))
        }
        #expect(valueColumns.count == 1, "values start in one column:\n\(result.stdout)")
    }

    @Test("list shows jobs in enqueue order and filters by state, queue, limit and offset", arguments: TestBackend.all)
    func listFilters(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        for (id, queue) in [("j1", "a"), ("j2", "b"), ("j3", "a"), ("j4", "a")] {
            try await cli.run("enqueue", "--id", id, "--queue", queue, "--command", "echo \(id)").expectSuccess()
        }
        try await cli.makeDeadJobs(["j5"])
        func ids(_ arguments: String...) async throws -> [String?] {
            try await cli.run(["list", "--json"] + arguments).jsonArray().map { $0["id"] as? String }
        }
        #expect(try await ids() == ["j1", "j2", "j3", "j4", "j5"])
        #expect(try await ids("--state", "dead") == ["j5"])
        #expect(try await ids("--state", "PENDING", "--queue", "a") == ["j1", "j3", "j4"])
        #expect(try await ids("--limit", "2") == ["j1", "j2"])
        #expect(try await ids("--offset", "3") == ["j4", "j5"])
        #expect(try await ids("--queue", "a", "--limit", "1", "--offset", "1") == ["j3"])
        #expect(try await ids("--state", "completed") == [])
        // A repeated option keeps every value: any of the states AND any of the queues.
        #expect(try await ids("--state", "dead", "--state", "failed") == ["j5"])
        #expect(try await ids("--state", "dead", "--state", "pending", "--queue", "b", "--queue", "fixture") == ["j2", "j5"])
        #expect(try await ids("--queue", "a", "--queue", "b", "--limit", "3") == ["j1", "j2", "j3"])
        try await cli.run("list", "--state", "dead", "--state", "sleeping").expectError(status: 2, mentioning: ["sleeping"])
        try await cli.run("list", "--queue", "a", "--queue", "a/b").expectError(status: 2, mentioning: ["a/b"])

        let table = try await cli.run("list")
        table.expectSuccess()
        try #require(table.lines.count == 6, "\(table)")
        #expect(table.lines[0].hasPrefix("ID"))
        #expect(table.lines[1].hasPrefix("j1 ") && table.lines[1].contains("pending") && table.lines[1].hasSuffix("echo j1"))
        #expect(table.lines[5].contains("dead"))
    }

    @Test("list cuts long commands with … to fit the width", arguments: TestBackend.all)
    func listTruncates(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let long = "echo " + String(repeating: "x", count: 300)
        try await cli.run(["enqueue", long, "--id", "long"]).expectSuccess()
        let narrow = try await cli.run(["list"], environment: ["COLUMNS": "80"])
        #expect(narrow.lines.allSatisfy { $0.count <= 80 }, "\(narrow)")
        try #require(narrow.lines.count == 2, "\(narrow)")
        #expect(narrow.lines[1].hasPrefix("long ") && narrow.lines[1].hasSuffix("…"))
        let wide = try await cli.run(["list"], environment: ["COLUMNS": nil])
        #expect(wide.lines.allSatisfy { $0.count <= 100 }, "\(wide)")
    }

    @Test("list and dlq list never cut an id, piped at any width: the command and the queue give way", arguments: TestBackend.all)
    func listKeepsIDsWhole(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let queue = "a-rather-long-queue-name-for-reports"
        var ids: [String] = []
        for command in ["true", "echo " + String(repeating: "y", count: 200)] {
            let result = try await cli.run(["enqueue", command, "--queue", queue])
            result.expectSuccess()
            ids.append(try #require(result.lines.first))
        }
        let longest = String(repeating: "k", count: 128)
        try await cli.makeDeadJobs(["d1", "dead-" + String(repeating: "d", count: 60)])
        try await cli.run(["enqueue", "true", "--id", longest]).expectSuccess()
        let known = Set(ids + ["d1", "dead-" + String(repeating: "d", count: 60), longest])
        for columns in [120, 100, 80, 50, 30] {
            for command in [["list"], ["list", "--queue", queue], ["dlq", "list"]] {
                let result = try await cli.run(command, environment: ["COLUMNS": String(columns)])
                result.expectSuccess()
                // What `queuectl list | awk '{print $1}'` gives: whole ids that `show` takes.
                let firstFields = result.lines.dropFirst().compactMap { $0.split(separator: " ").first.map(String.init) }
                #expect(firstFields.count == result.lines.count - 1)
                #expect(firstFields.allSatisfy(known.contains), "COLUMNS=\(columns) \(command):\n\(result.stdout)")
                // A line is wider than the terminal only when its ids alone do not fit.
                let idWidth = firstFields.map(\.count).max() ?? 0
                #expect(
                    result.lines.allSatisfy { $0.count <= max(columns, idWidth + 3) },
                    "COLUMNS=\(columns) \(command):\n\(result.stdout)")
            }
        }
        let list = try await cli.run(["list", "--queue", queue], environment: ["COLUMNS": "100"])
        try #require(list.lines.count == 3, "\(list)")
        #expect(list.lines.allSatisfy { $0.count <= 100 }, "\(list)")
        #expect(list.lines[1].hasPrefix(ids[0] + " ") && list.lines[2].hasPrefix(ids[1] + " "), "\(list)")
        #expect(list.lines[1].hasSuffix("true"), "the command still shows: \(list)")
        for id in ids { try await cli.run("show", id).expectSuccess() }
        // The state stays whole too: at 50 columns it still shows after a generated id.
        let narrow = try await cli.run(["list", "--queue", queue], environment: ["COLUMNS": "50"])
        #expect(narrow.lines.dropFirst().allSatisfy { $0.contains(" pending") }, "\(narrow)")
    }

    @Test("list and dlq list say so when there is nothing to show; --json prints []", arguments: TestBackend.all)
    func emptyLists(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let list = try await cli.run("list")
        list.expectSuccess()
        #expect(list.stdout == "no jobs\n")
        let dead = try await cli.run("dlq", "list")
        dead.expectSuccess()
        #expect(dead.stdout == "no dead jobs\n")
        #expect(try await cli.run("list", "--json").stdout == "[]\n")
        #expect(try await cli.run("dlq", "list", "--json").stdout == "[]\n")
        try await cli.run("enqueue", "true").expectSuccess()
        #expect(try await cli.run("list", "--state", "dead").stdout == "no jobs\n")
    }

    @Test("control characters in a command are shown visibly by list and show, and exactly by --json", arguments: TestBackend.all)
    func controlCharacters(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let command = "echo \u{1B}[2J\u{07}bell\u{7F}\u{9B}31m\tdone"
        try await cli.run(["enqueue", command, "--id", "ctl"]).expectSuccess()
        let rawControls = { (text: String) in
            text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
        }
        for arguments in [["list"], ["show", "ctl"]] {
            let result = try await cli.run(arguments)
            result.expectSuccess()
            #expect(!rawControls(result.stdout), "\(arguments): \(result.stdout.debugDescription)")
            #expect(result.stdout.contains("echo ^[[2J^Gbell^?M-^[31m"), "\(arguments): \(result.stdout)")
        }
        #expect(try await cli.run("show", "ctl").stdout.contains("M-^[31m\\tdone"))
        let json = try await cli.run("show", "ctl", "--json")
        #expect(try json.jsonObject()["command"] as? String == command)
        #expect(json.stdout.contains(#"echo \u001b[2J\u0007bell"#), "\(json.stdout)")

        let error = try await cli.run(["show", "no\u{1B}]0;title\u{07}"])
        error.expectError(status: 2, mentioning: ["no^[]0;title^G"])
        #expect(!rawControls(error.stderr), "\(error.stderr.debugDescription)")
    }

    @Test("list rejects an unknown state and negative numbers with exit 2", arguments: TestBackend.all)
    func listRejects(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("list", "--state", "running").expectError(status: 2, mentioning: ["'running'", "pending"])
        try await cli.run("list", "--limit", "-1").expectError(status: 2, mentioning: ["--limit"])
        try await cli.run("list", "--offset", "-2").expectError(status: 2, mentioning: ["--offset"])
        try await cli.run("list", "--limit", "ten").expectError(status: 2, mentioning: ["ten"])
        try await cli.run("list", "--queue", "a b").expectError(status: 2, mentioning: ["'a b'", "queue name"])
        try await cli.run("list", "--queue", ".hidden").expectError(status: 2, mentioning: ["not starting with '.'"])
    }

    @Test("show prints every field as aligned key: value lines", arguments: TestBackend.all)
    func showHuman(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", #"{"id":"s1","command":"echo hi","priority":4}"#).expectSuccess()
        let result = try await cli.run("show", "s1")
        result.expectSuccess()
        let keys = result.lines.map { String($0.prefix { $0 != ":" }) }
        #expect(
            keys == [
                "id", "command", "state", "attempts", "snoozes", "max_retries", "priority", "queue", "run_at", "timeout",
                "no_retry_exit_codes", "after", "waiting_for", "exit_code",
                "last_error", "created_at", "updated_at", "started_at", "finished_at", "duration", "worker", "last_worker",
                "log",
            ])
        var valueColumns = Set<Int>()
        for line in result.lines {
            let colon = try #require(line.firstIndex(of: ":"), "no colon in '\(line)'")
            let value = try #require(line[line.index(after: colon)...].firstIndex { $0 != " " }, "no value in '\(line)'")
            valueColumns.insert(line.distance(from: line.startIndex, to: value))
        }
        #expect(valueColumns.count == 1, "values aligned:\n\(result.stdout)")
        #expect(result.stdout.contains("priority:" + String(repeating: " ", count: 12) + "4\n"))
        #expect(result.stdout.contains("log:" + String(repeating: " ", count: 17) + "\(cli.home)/logs/s1.log\n"))
    }

    @Test("show of an unknown id exits 1 and of a malformed id exits 2", arguments: TestBackend.all)
    func showErrors(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("show", "nope").expectError(status: 1, mentioning: ["'nope'"])
        try await cli.run("show", "nope", "--json").expectError(status: 1, mentioning: ["'nope'"])
        try await cli.run("show", "../x").expectError(status: 2, mentioning: ["'../x'"])
        try await cli.run("show", "a/b").expectError(status: 2, mentioning: ["'a/b'"])
        try await cli.run("show").expectError(status: 2)
    }
}
