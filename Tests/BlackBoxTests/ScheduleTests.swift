import Foundation
import QueueCore
import QueueTestSupport
import Testing

@Suite("queuectl schedule")
struct ScheduleTests {
    @Test("schedule add stores cron and interval schedules that list shows as a table and as JSON", arguments: TestBackend.all)
    func addAndList(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let added = try await cli.run([
            "schedule", "add", "nightly", "--cron", "30 2 * * MON-FRI", "--tz", "Europe/Berlin", "--command", "backup.sh --all",
            "--queue", "ops", "--priority", "5", "--timeout", "10m", "--max-retries", "2",
        ])
        added.expectSuccess()
        #expect(added.stdout == "nightly\n")
        try await cli.run("schedule", "add", "poll", "--every", "90s", "--command", "poll.sh").expectSuccess()

        let documents = try await cli.run("schedule", "list", "--json").jsonArray()
        #expect(documents.count == 2)
        let nightly = try #require(documents.first)
        #expect(nightly["name"] as? String == "nightly")
        #expect(nightly["cron"] as? String == "30 2 * * MON-FRI" && nightly["every"] is NSNull)
        #expect(nightly["command"] as? String == "backup.sh --all" && nightly["queue"] as? String == "ops")
        #expect(nightly["priority"] as? Int == 5 && nightly["timeout"] as? Int == 600 && nightly["max_retries"] as? Int == 2)
        #expect(nightly["tz"] as? String == "Europe/Berlin")
        #expect(nightly["last_run_at"] is NSNull && nightly["last_job"] is NSNull)
        let nextRun = try #require((nightly["next_run_at"] as? String).flatMap(Timestamp.parse))
        #expect(nextRun > Date() && nextRun < Date().addingTimeInterval(4 * 86_400))
        #expect(Set(nightly.keys) == [
            "name", "cron", "every", "command", "queue", "priority", "timeout", "max_retries", "tz", "next_run_at",
            "last_run_at", "last_job",
        ])
        let poll = try #require(documents.last)
        #expect(poll["name"] as? String == "poll" && poll["cron"] is NSNull && poll["every"] as? Int == 90)
        #expect(poll["queue"] as? String == "default" && poll["priority"] as? Int == 0 && poll["tz"] as? String == "UTC")
        #expect(poll["timeout"] is NSNull && poll["max_retries"] is NSNull)

        let table = try await cli.run(["schedule", "list"], environment: ["COLUMNS": "200"])
        table.expectSuccess()
        #expect(table.lines.first?.split(separator: " ").joined(separator: " ") == "NAME SPEC NEXT RUN LAST RUN LAST JOB COMMAND")
        #expect(table.lines.dropFirst().first?.hasPrefix("nightly  30 2 * * MON-FRI Europe/Berlin") == true, "\(table)")
        #expect(table.lines.last?.hasPrefix("poll     every 90s") == true, "\(table)")
        #expect(table.lines.last?.hasSuffix("poll.sh") == true, "\(table)")
    }

    @Test("schedule list never cuts a name and reads without creating a home or a store", arguments: TestBackend.all)
    func listReadOnly(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let empty = try await cli.run("schedule", "list")
        empty.expectSuccess()
        #expect(empty.stdout == "no schedules\n")
        #expect(try await cli.run("schedule", "list", "--json").stdout == "[]\n")
        #expect(!FileManager.default.fileExists(atPath: cli.home), "schedule list created the home")

        let long = String(repeating: "n", count: ScheduleName.maximumLength)
        try await cli.run("schedule", "add", long, "--every", "1d", "--command", String(repeating: "x", count: 300))
            .expectSuccess()
        let table = try await cli.run(["schedule", "list"], environment: ["COLUMNS": "80"])
        table.expectSuccess()
        #expect(table.lines.last?.hasPrefix(long + " ") == true, "\(table)")
    }

    @Test("adding a name that exists exits 1 and keeps the first schedule", arguments: TestBackend.all)
    func addExisting(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("schedule", "add", "report", "--every", "1h", "--command", "first").expectSuccess()
        let before = try await cli.run("schedule", "list", "--json").stdout
        try await cli.run("schedule", "add", "report", "--cron", "@daily", "--command", "second")
            .expectError(status: 1, mentioning: ["'report'", "already exists"])
        #expect(try await cli.run("schedule", "list", "--json").stdout == before)
    }

    @Test("bad input to schedule add exits 2 with one line and changes nothing", arguments: TestBackend.all)
    func addRejects(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let cases: [([String], [String])] = [
            (["bad", "--cron", "61 * * * *", "--command", "x"], ["cron expression", "minute 61"]),
            (["bad", "--cron", "* * *", "--command", "x"], ["expected 5 fields"]),
            (["bad", "--cron", "@sometimes", "--command", "x"], ["unknown macro"]),
            (["bad", "--cron", "0 0 31 2 *", "--command", "x"], ["never fires"]),
            (["bad", "--cron", "@daily", "--tz", "Mars/Olympus", "--command", "x"], ["unknown time zone 'Mars/Olympus'"]),
            (["bad", "--cron", "@daily", "--tz", "GMT+1", "--command", "x"], ["unknown time zone 'GMT+1'"]),
            (["bad", "--every", "0", "--command", "x"], ["--every"]),
            (["bad", "--every", "500ms", "--command", "x"], ["--every"]),
            (["bad", "--every", "soon", "--command", "x"], ["--every", "soon"]),
            (["bad", "--every", "1m", "--cron", "@daily", "--command", "x"], ["either --cron or --every"]),
            (["bad", "--command", "x"], ["--cron", "--every"]),
            (["bad name", "--every", "1m", "--command", "x"], ["invalid schedule name 'bad name'"]),
            ([".hidden", "--every", "1m", "--command", "x"], ["invalid schedule name"]),
            ([String(repeating: "n", count: 112), "--every", "1m", "--command", "x"], ["112 characters", "at most 111"]),
            (["bad", "--every", "1m", "--command", " "], ["command is empty"]),
            (["bad", "--every", "1m", "--command", "x", "--timeout", "-1"], ["--timeout"]),
            (["bad", "--every", "1m", "--command", "x", "--max-retries", "-1"], ["max_retries"]),
            (["bad", "--every", "1m", "--command", "x", "--queue", "a b"], ["invalid queue name"]),
            (["bad", "--every", "1m"], ["--command"]),
        ]
        for (arguments, fragments) in cases {
            try await cli.run(["schedule", "add"] + arguments).expectError(status: 2, mentioning: fragments)
        }
        #expect(!FileManager.default.fileExists(atPath: cli.home), "a refused schedule add created the home")
        #expect(try await cli.run("schedule", "list", "--json").stdout == "[]\n")
    }

    @Test("schedule remove deletes a schedule; an unknown name exits 1 and a bad one exits 2", arguments: TestBackend.all)
    func remove(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("schedule", "add", "keep", "--every", "1h", "--command", "true").expectSuccess()
        try await cli.run("schedule", "add", "drop", "--every", "1h", "--command", "true").expectSuccess()
        let removed = try await cli.run("schedule", "remove", "drop")
        removed.expectSuccess()
        #expect(removed.stdout.isEmpty)
        #expect(try await cli.run("schedule", "list", "--json").jsonArray().map { $0["name"] as? String } == ["keep"])
        try await cli.run("schedule", "remove", "drop").expectError(status: 1, mentioning: ["no schedule named 'drop'"])
        try await cli.run("schedule", "remove", "no/such").expectError(status: 2, mentioning: ["invalid schedule name"])
        try await cli.run("schedule", "remove").expectError(status: 2)
        #expect(try await cli.run("schedule", "list", "--json").jsonArray().count == 1)
    }

    @Test("a running worker enqueues the schedule's jobs as NAME.<tick> and runs them", arguments: TestBackend.all)
    func workerFiresTicks(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("schedule", "add", "beat", "--every", "1s", "--command", "echo beat").expectSuccess()
        try await cli.withWorkerScope {
            try await cli.run("worker", "start").expectSuccess()
            #expect(try await eventually(timeout: .seconds(120)) {
                try await cli.run("list", "--state", "completed", "--json").jsonArray().count >= 2
            })
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
        let jobs = try await cli.run("list", "--json").jsonArray()
        let ids = jobs.compactMap { $0["id"] as? String }
        #expect(ids.allSatisfy { $0.wholeMatch(of: /beat\.\d{8}T\d{6}Z/) != nil }, "\(ids)")
        #expect(Set(ids).count == ids.count)
        let schedule = try #require(try await cli.run("schedule", "list", "--json").jsonArray().first)
        let lastJob = try #require(schedule["last_job"] as? String)
        #expect(ids.contains(lastJob))
        let lastRun = try #require((schedule["last_run_at"] as? String).flatMap(Timestamp.parse))
        #expect(lastJob == "beat." + ScheduleTick(instant: lastRun).label)
        let completed = try #require(jobs.first { $0["state"] as? String == "completed" }?["id"] as? String)
        let log = try await cli.run("logs", completed)
        #expect(log.stdout.contains("beat"), "\(log)")
    }
}
