import Foundation
import QueueCore
import QueueTestSupport
import Testing

@Suite("queuectl enqueue")
struct EnqueueTests {
    @Test("a plain command argument enqueues one pending job and prints its id", arguments: TestBackend.all)
    func plainCommand(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let result = try await cli.run("enqueue", "echo hello")
        result.expectSuccess()
        let id = try #require(result.lines.first)
        #expect(result.lines.count == 1)
        #expect(id.count == 36, "a generated UUID: \(id)")

        let job = try await cli.run("show", id, "--json").jsonObject()
        #expect(job["command"] as? String == "echo hello")
        #expect(job["state"] as? String == "pending")
        #expect(job["max_retries"] as? Int == 3)
        #expect(job["attempts"] as? Int == 0)
        #expect(job["queue"] as? String == "default")
    }

    @Test("'true' and '[ -f x ]' are commands, not JSON", arguments: TestBackend.all)
    func commandsThatLookOdd(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        for command in ["true", "[ -f x ]", "  echo '{'"] {
            let result = try await cli.run(["enqueue", command, "--json"])
            result.expectSuccess()
            #expect(try result.jsonObject()["command"] as? String == command)
        }
        #expect(try await cli.run("list", "--json").jsonArray().count == 3)
    }

    @Test("a JSON object sets the job's fields and --json prints the whole job in contract order", arguments: TestBackend.all)
    func jsonObject(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let result = try await cli.run([
            "enqueue",
            #"{"id":"job1","command":"sleep 2","max_retries":2,"priority":7,"run_at":"2030-01-02T03:04:05Z","timeout":9,"queue":"mail"}"#,
            "--json",
        ])
        result.expectSuccess()
        let keys = [
            "id", "command", "max_retries", "priority", "run_at", "timeout", "queue", "state", "attempts", "exit_code",
            "last_error", "created_at", "updated_at", "started_at", "finished_at", "worker", "log",
        ]
        let positions = keys.compactMap { result.stdout.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions.count == keys.count && positions == positions.sorted(), "keys in contract order: \(result.stdout)")
        #expect(!result.stdout.contains("\\/"), "slashes are not escaped")
        #expect(result.lines.count == 1)

        let job = try result.jsonObject()
        #expect(job["id"] as? String == "job1")
        #expect(job["max_retries"] as? Int == 2)
        #expect(job["priority"] as? Int == 7)
        #expect(job["run_at"] as? String == "2030-01-02T03:04:05Z")
        #expect(job["timeout"] as? Int == 9)
        #expect(job["queue"] as? String == "mail")
        #expect(job["exit_code"] is NSNull)
        #expect(job["worker"] is NSNull)
        #expect(job["log"] as? String == "\(cli.home)/logs/job1.log")
        #expect(job["delay"] == nil, "delay is not echoed")
    }

    @Test("options set every field of the job", arguments: TestBackend.all)
    func options(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let result = try await cli.run([
            "enqueue", "--command", "make test", "--id", "build.1", "--max-retries", "0", "--priority", "-3",
            "--run-at", "2031-05-06T07:08:09Z", "--timeout", "120", "--queue", "ci",
        ])
        result.expectSuccess()
        #expect(result.stdout == "build.1\n")
        let job = try await cli.run("show", "build.1", "--json").jsonObject()
        #expect(job["command"] as? String == "make test")
        #expect(job["max_retries"] as? Int == 0)
        #expect(job["priority"] as? Int == -3)
        #expect(job["run_at"] as? String == "2031-05-06T07:08:09Z")
        #expect(job["timeout"] as? Int == 120)
        #expect(job["queue"] as? String == "ci")
    }

    @Test("--delay schedules the first run that many seconds from now", arguments: TestBackend.all)
    func delay(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let before = Date()
        let job = try await cli.run("enqueue", "true", "--delay", "3600", "--json").jsonObject()
        let runAtText = try #require(job["run_at"] as? String)
        let runAt = try #require(Timestamp.parse(runAtText))
        #expect(runAt.timeIntervalSince(before) > 3500 && runAt.timeIntervalSince(before) < 3700)
    }

    @Test("config defaults fill what the job leaves open", arguments: TestBackend.all)
    func configDefaults(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("config", "set", "max_retries", "7").expectSuccess()
        try await cli.run("config", "set", "job_timeout", "30").expectSuccess()
        let job = try await cli.run("enqueue", "true", "--json").jsonObject()
        #expect(job["max_retries"] as? Int == 7)
        #expect(job["timeout"] as? Int == 30)
    }

    @Test("--file takes a JSON array, JSON lines or one object and prints every id", arguments: TestBackend.all)
    func file(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let inputs = [
            "array.json": #"[{"id":"a1","command":"true"},{"id":"a2","command":"false","priority":2}]"#,
            "lines.jsonl": "{\"id\":\"l1\",\"command\":\"true\"}\n\n{\"id\":\"l2\",\"command\":\"true\"}\n",
            "one.json": #"{"id":"o1","command":"true"}"#,
        ]
        for (name, text) in inputs { try text.write(toFile: cli.directory.file(name), atomically: true, encoding: .utf8) }

        let array = try await cli.run("enqueue", "--file", cli.directory.file("array.json"))
        array.expectSuccess()
        #expect(array.lines == ["a1", "a2"])
        let lines = try await cli.run("enqueue", "--file", cli.directory.file("lines.jsonl"), "--json")
        lines.expectSuccess()
        #expect(try lines.jsonArray().map { $0["id"] as? String } == ["l1", "l2"])
        let one = try await cli.run("enqueue", "--file", cli.directory.file("one.json"), "--json")
        #expect(try one.jsonArray().map { $0["id"] as? String } == ["o1"], "--file prints an array even for one job")
        #expect(try await cli.run("list", "--json").jsonArray().count == 5)
    }

    @Test("'-' reads jobs from stdin", arguments: TestBackend.all)
    func standardInput(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let result = try await cli.run(
            ["enqueue", "-"], stdin: "{\"id\":\"s1\",\"command\":\"true\"}\n{\"id\":\"s2\",\"command\":\"true\"}\n")
        result.expectSuccess()
        #expect(result.lines == ["s1", "s2"])
        #expect(try await cli.run("list", "--json").jsonArray().map { $0["id"] as? String } == ["s1", "s2"])
    }

    @Test("managed fields are ignored with a warning on stderr", arguments: TestBackend.all)
    func managedFields(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let result = try await cli.run(["enqueue", #"{"id":"m1","command":"true","state":"dead","attempts":5}"#])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "m1\n")
        #expect(result.errorLines.count == 2)
        #expect(result.stderr.contains("'state'") && result.stderr.contains("'attempts'"))
        let job = try await cli.run("show", "m1", "--json").jsonObject()
        #expect(job["state"] as? String == "pending")
        #expect(job["attempts"] as? Int == 0)
    }

    @Test("a rejected enqueue exits 2 with one line and changes nothing", arguments: TestBackend.all, EnqueueRejection.all)
    func rejected(backend: TestBackend, rejection: EnqueueRejection) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "--id", "existing", "--command", "true").expectSuccess()
        if let file = rejection.file {
            try file.write(toFile: cli.directory.file("jobs.json"), atomically: true, encoding: .utf8)
        }
        let before = try await cli.statusJSON()
        let result = try await cli.run(
            rejection.arguments.map { $0.replacingOccurrences(of: "JOBS_FILE", with: cli.directory.file("jobs.json")) },
            stdin: rejection.stdin)
        result.expectError(status: 2, mentioning: rejection.fragments)
        #expect(try await cli.statusJSON() == before)
    }

    @Test("a duplicate id exits 1 and enqueues nothing", arguments: TestBackend.all)
    func duplicateID(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "--id", "dup", "--command", "true").expectSuccess()
        let before = try await cli.statusJSON()
        try await cli.run("enqueue", "--id", "dup", "--command", "false")
            .expectError(status: 1, mentioning: ["'dup'", "already exists"])
        let batch = try await cli.run(
            ["enqueue", "-"], stdin: "{\"id\":\"new1\",\"command\":\"true\"}\n{\"id\":\"dup\",\"command\":\"true\"}\n")
        batch.expectError(status: 1, mentioning: ["'dup'"])
        #expect(try await cli.statusJSON() == before)
        #expect(try await cli.run("show", "dup", "--json").jsonObject()["command"] as? String == "true")
        try await cli.run("show", "new1").expectError(status: 1)
    }

    @Test("an id repeated inside one batch is bad input naming both places; nothing is enqueued", arguments: TestBackend.all)
    func idRepeatedInBatch(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "--id", "dup", "--command", "true").expectSuccess()
        let before = try await cli.statusJSON()
        let array = try await cli.run(
            ["enqueue", "-"],
            stdin: #"[{"id":"twice","command":"true"},{"id":"other","command":"true"},{"id":"twice","command":"true"}]"#)
        array.expectError(status: 2, mentioning: ["job 3:", "'twice'", "job 1", "batch"])
        let file = cli.directory.file("jobs.jsonl")
        try "{\"id\":\"a1\",\"command\":\"true\"}\n\n{\"id\":\"dupa\",\"command\":\"true\"}\n{\"id\":\"dupa\",\"command\":\"false\"}\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let lines = try await cli.run("enqueue", "--file", file)
        lines.expectError(status: 2, mentioning: ["line 4:", "'dupa'", "line 3", "batch"])
        #expect(try await cli.statusJSON() == before)
        for id in ["twice", "other", "a1", "dupa"] { try await cli.run("show", id).expectError(status: 1) }
    }

    @Test("a file that cannot be read exits 2 naming it", arguments: TestBackend.all)
    func unreadableFile(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let missing = cli.directory.file("missing.json")
        try await cli.run("enqueue", "--file", missing).expectError(status: 2, mentioning: [missing, "no such file"])
        try await cli.run("enqueue", "--file", cli.directory.path).expectError(status: 2, mentioning: ["directory"])
        #expect(try await cli.statusJSON().contains(#""pending":0"#))
    }

    @Test("a rejected enqueue that would also warn prints only its one error line", arguments: TestBackend.all)
    func warningWithError(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "--id", "dup", "--command", "true").expectSuccess()
        let before = try await cli.statusJSON()
        try await cli.run(["enqueue", #"{"id":"dup","command":"true","state":"dead"}"#])
            .expectError(status: 1, mentioning: ["'dup'", "already exists"])
        try await cli.run(
            ["enqueue", "-"], stdin: "{\"id\":\"w1\",\"command\":\"true\",\"attempts\":3}\n{\"id\":\"dup\",\"command\":\"true\"}\n"
        ).expectError(status: 1, mentioning: ["'dup'"])
        try await cli.run(["enqueue", #"{"command":"true","state":"dead","colour":"red"}"#])
            .expectError(status: 2, mentioning: ["'colour'"])
        #expect(try await cli.statusJSON() == before)
    }

    @Test("an enqueue whose output cannot be written exits 1 saying the job was enqueued", arguments: TestBackend.all)
    func outputWriteFailure(backend: TestBackend) async throws {
        try #require(FileManager.default.fileExists(atPath: "/dev/full"))
        let cli = try await CLI(backend)
        let result = try await cli.run(["enqueue", "--id", "full", "true"], standardOutput: "/dev/full")
        #expect(result.status == 1, "\(result)")
        #expect(result.errorLines.count == 1, "\(result)")
        #expect(result.stderr.contains("cannot write") && result.stderr.contains("'full' was enqueued"), "\(result)")
        #expect(try await cli.run("show", "full", "--json").jsonObject()["state"] as? String == "pending")

        let batch = try await cli.run(
            ["enqueue", "-"], stdin: "{\"command\":\"true\"}\n{\"command\":\"true\"}\n", standardOutput: "/dev/full")
        #expect(batch.status == 1 && batch.errorLines.count == 1, "\(batch)")
        #expect(batch.stderr.contains("2 jobs were enqueued"), "\(batch)")
        let status = try await cli.run(["status"], standardOutput: "/dev/full")
        status.expectError(status: 1, mentioning: ["cannot write the output", "No space left on device"])
    }

    @Test("20 concurrent enqueue processes on a fresh store all succeed without lock errors", arguments: TestBackend.all)
    func concurrentEnqueues(backend: TestBackend) async throws {
        // Several fresh stores, each first used by 20 processes at once: they race to create the schema.
        for round in 1...3 {
            let cli = try await CLI(backend)
            let results = try await withThrowingTaskGroup(of: CLIResult.self) { group in
                for index in 1...20 {
                    group.addTask { try await cli.run(["enqueue", "--id", "c\(index)", "--command", "echo \(index)"]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for result in results {
                #expect(result.status == 0, "round \(round): \(result)")
                #expect(result.stderr.isEmpty, "round \(round): \(result)")
            }
            let jobs = try await cli.run("list", "--json").jsonArray()
            #expect(Set(jobs.compactMap { $0["id"] as? String }) == Set((1...20).map { "c\($0)" }), "round \(round)")
        }
    }

    @Test("a fresh home first used by 20 enqueue processes at once holds all 20 jobs")
    func concurrentFirstUseOfHome() async throws {
        // The race lost about one round in five before the schema was migrated in one IMMEDIATE transaction.
        for round in 1...8 {
            let cli = try await CLI(.sqlite)
            let results = try await withThrowingTaskGroup(of: CLIResult.self) { group in
                for index in 1...20 {
                    group.addTask {
                        try await cli.run(["enqueue", "--id", "h\(index)", "true"], environment: ["QUEUECTL_DB": nil])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for result in results { result.expectSuccess() }
            let status = try await cli.run(["status", "--json"], environment: ["QUEUECTL_DB": nil])
            #expect(status.stdout.hasPrefix(#"{"pending":20,"#), "round \(round): \(status)")
        }
    }

    @Test("the SQLite store creates only queuectl_ tables")
    func tablePrefix() async throws {
        let cli = try await CLI(.sqlite)
        try await cli.run(["enqueue", "true"], environment: ["QUEUECTL_DB": nil]).expectSuccess()
        let tables = try SQLiteSchema.tableNames(inDatabaseAt: cli.home + "/queue.db")
        #expect(tables.contains("queuectl_job") && tables.contains("queuectl_migration"), "\(tables)")
        #expect(tables.allSatisfy { $0.hasPrefix("queuectl_") }, "\(tables)")
    }
}

/// One bad `enqueue` invocation and what its error line must say.
struct EnqueueRejection: Sendable, CustomTestStringConvertible {
    var name: String
    var arguments: [String]
    var stdin: String? = nil
    var file: String? = nil
    var fragments: [String]

    var testDescription: String { name }

    static let all: [EnqueueRejection] = [
        .init(name: "unparseable JSON", arguments: ["enqueue", #"{"command": "echo"#], fragments: ["invalid JSON", "--command"]),
        .init(name: "unknown field", arguments: ["enqueue", #"{"command":"true","colour":"red"}"#], fragments: ["'colour'"]),
        .init(name: "missing command", arguments: ["enqueue", #"{"id":"x1"}"#], fragments: ["command"]),
        .init(name: "empty command", arguments: ["enqueue", "   "], fragments: ["empty"]),
        .init(name: "empty --command", arguments: ["enqueue", "--command", ""], fragments: ["empty"]),
        .init(name: "string for a number", arguments: ["enqueue", #"{"command":"true","priority":"high"}"#],
              fragments: ["'priority'", "whole number"]),
        .init(name: "number for the command", arguments: ["enqueue", #"{"command":42}"#], fragments: ["'command'", "string"]),
        .init(name: "fractional retries", arguments: ["enqueue", #"{"command":"true","max_retries":1.5}"#],
              fragments: ["'max_retries'"]),
        .init(name: "negative retries in JSON", arguments: ["enqueue", #"{"command":"true","max_retries":-1}"#],
              fragments: ["max_retries"]),
        .init(name: "negative --max-retries", arguments: ["enqueue", "--command", "true", "--max-retries", "-1"],
              fragments: ["max_retries", "-1"]),
        .init(name: "non-numeric --max-retries", arguments: ["enqueue", "--command", "true", "--max-retries", "many"],
              fragments: ["many"]),
        .init(name: "negative timeout", arguments: ["enqueue", "true", "--timeout", "-5"], fragments: ["timeout"]),
        .init(name: "negative delay", arguments: ["enqueue", #"{"command":"true","delay":-1}"#], fragments: ["delay"]),
        .init(name: "bad run_at", arguments: ["enqueue", #"{"command":"true","run_at":"tomorrow"}"#],
              fragments: ["'run_at'", "ISO-8601"]),
        .init(name: "bad --run-at", arguments: ["enqueue", "true", "--run-at", "noon"], fragments: ["--run-at"]),
        .init(name: "run_at and delay", arguments: ["enqueue", #"{"command":"true","run_at":"2030-01-01T00:00:00Z","delay":5}"#],
              fragments: ["run_at", "delay"]),
        .init(name: "--run-at with --delay", arguments: ["enqueue", "true", "--run-at", "2030-01-01T00:00:00Z", "--delay", "5"],
              fragments: ["--run-at", "--delay"]),
        .init(name: "id with ..", arguments: ["enqueue", "--id", "../x", "--command", "true"], fragments: ["'../x'"]),
        .init(name: "id with a slash", arguments: ["enqueue", #"{"id":"a/b","command":"true"}"#], fragments: ["'a/b'"]),
        .init(name: "id starting with a dot", arguments: ["enqueue", "--id", ".hidden", "--command", "true"], fragments: [".hidden"]),
        .init(name: "bad queue name", arguments: ["enqueue", "true", "--queue", "a b"], fragments: ["queue"]),
        .init(name: "JSON with --command", arguments: ["enqueue", #"{"command":"true"}"#, "--command", "false"],
              fragments: ["not both"]),
        .init(name: "JSON with --priority", arguments: ["enqueue", #"{"command":"true"}"#, "--priority", "3"],
              fragments: ["not both"]),
        .init(name: "argument with --command", arguments: ["enqueue", "true", "--command", "false"], fragments: ["not both"]),
        .init(name: "--file with an argument", arguments: ["enqueue", "--file", "JOBS_FILE", "true"],
              file: #"{"command":"true"}"#, fragments: ["--file"]),
        .init(name: "--file with --priority", arguments: ["enqueue", "--file", "JOBS_FILE", "--priority", "1"],
              file: #"{"command":"true"}"#, fragments: ["--file"]),
        .init(name: "several arguments", arguments: ["enqueue", "echo", "hi"], fragments: ["one argument"]),
        .init(name: "no job at all", arguments: ["enqueue"], fragments: ["no job given"]),
        .init(name: "batch with one bad element", arguments: ["enqueue", "--file", "JOBS_FILE"],
              file: #"[{"id":"b1","command":"true"},{"id":"b2","command":"true","retries":1}]"#,
              fragments: ["job 2", "'retries'"]),
        .init(name: "JSON lines with one bad line", arguments: ["enqueue", "-"],
              stdin: "{\"id\":\"b1\",\"command\":\"true\"}\n{\"id\":\"b2\",\n", fragments: ["line 2"]),
        .init(name: "empty stdin", arguments: ["enqueue", "-"], stdin: "", fragments: ["no jobs"]),
        .init(name: "empty array", arguments: ["enqueue", "-"], stdin: "[]", fragments: ["no jobs"]),
        .init(name: "unknown option", arguments: ["enqueue", "true", "--retries", "2"], fragments: ["--retries"]),
        .init(name: "'-' with --priority", arguments: ["enqueue", "-", "--priority", "3"], stdin: #"{"command":"true"}"#,
              fragments: ["'-'", "stdin"]),
        .init(name: "'-' with --command", arguments: ["enqueue", "-", "--command", "true"], stdin: #"{"command":"true"}"#,
              fragments: ["'-'"]),
        .init(name: "fractional --max-retries", arguments: ["enqueue", "true", "--max-retries", "1.5"],
              fragments: ["1.5", "--max-retries"]),
        .init(name: "a duplicated key", arguments: ["enqueue", #"{"command":"a","command":"b"}"#],
              fragments: ["duplicate field 'command'", "column 16"]),
        .init(name: "a duplicated key in a batch line", arguments: ["enqueue", "-"],
              stdin: "{\"command\":\"a\"}\n{\"id\":\"x\",\"id\":\"y\",\"command\":\"b\"}\n",
              fragments: ["line 2", "duplicate field 'id'"]),
        .init(name: "where the JSON breaks", arguments: ["enqueue", #"{"command": "echo hi", "priority": 1,}"#],
              fragments: ["invalid JSON", "'}'", "column 38", "--command"]),
        .init(name: "where a multi-line file breaks", arguments: ["enqueue", "--file", "JOBS_FILE"],
              file: "{\n  \"command\": \"echo hi\",\n  \"priority\": 01\n}\n", fragments: ["line 3, column 15", "leading zero"]),
        .init(name: "nesting without end", arguments: ["enqueue", "-"],
              stdin: String(repeating: "[", count: 100_000), fragments: ["deeper than 512"]),
        .init(name: "a priority beyond the range", arguments: ["enqueue", #"{"command":"true","priority":9007199254740993}"#],
              fragments: ["'priority'", "out of range", "9007199254740993"]),
        .init(name: "a --priority beyond the range", arguments: ["enqueue", "true", "--priority", "9223372036854775807"],
              fragments: ["priority", "9223372036854775807"]),
        .init(name: "February 30", arguments: ["enqueue", "true", "--run-at", "2026-02-30T00:00:00Z"],
              fragments: ["--run-at", "February 2026 has 28 days"]),
        .init(name: "hour 25", arguments: ["enqueue", #"{"command":"true","run_at":"2026-03-01T25:00:00Z"}"#],
              fragments: ["'run_at'", "hour"]),
        .init(name: "year 0000", arguments: ["enqueue", "true", "--run-at", "0000-01-01T00:00:00Z"],
              fragments: ["1970 to 9999"]),
        .init(name: "a queue starting with a dot", arguments: ["enqueue", "true", "--queue", ".x"],
              fragments: ["'.x'", "not starting with '.'"]),
        .init(name: "an empty --file", arguments: ["enqueue", "--file", ""], fragments: ["--file needs a file name"]),
        .init(name: "a --file under a regular file", arguments: ["enqueue", "--file", "JOBS_FILE/sub"],
              file: #"{"command":"true"}"#, fragments: ["not a directory"]),
    ]
}
