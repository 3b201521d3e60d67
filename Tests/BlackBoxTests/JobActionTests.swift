import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `queuectl remove`, `restart` and `promote`, black-box: what each prints and changes, and every error.
@Suite("queuectl remove, restart, promote")
struct JobActionTests {
    @Test("remove deletes jobs in any state but processing with their logs, and prints their ids",
          arguments: TestBackend.all)
    func remove(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "--id", "waiting", "--command", "true").expectSuccess()
        try await cli.makeDeadJobs(["dead-1"])
        try await cli.makeFinishedJobs(["done-1", "done-2"], age: 60)
        for id in ["waiting", "dead-1"] { try await cli.writeLog(of: id) }

        let removed = try await cli.run("remove", "waiting", "dead-1", "done-1")
        removed.expectSuccess()
        #expect(removed.lines == ["waiting", "dead-1", "done-1"])
        for id in ["waiting", "dead-1", "done-1"] {
            try await cli.run("show", id).expectError(status: 1, mentioning: ["'\(id)'"])
            #expect(!cli.hasLogFile(id), "\(id)'s log file")
        }
        #expect(cli.hasLogFile("done-2"))
        #expect(try await cli.statusJSON().hasPrefix(#"{"pending":0,"processing":0,"completed":1,"failed":0,"dead":0"#))

        let json = try await cli.run("remove", "done-2", "--json")
        json.expectSuccess()
        #expect(json.stdout == #"["done-2"]"# + "\n")
        // The id is free again, and a new job of that id starts with an empty log.
        try await cli.run("enqueue", "--id", "done-2", "--command", "true").expectSuccess()
        let logs = try await cli.run("logs", "done-2")
        #expect(!logs.stdout.contains("output of done-2"), "\(logs)")
    }

    @Test("remove of a processing or unknown job exits 1 naming it and removes nothing", arguments: TestBackend.all)
    func removeRefuses(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.makeFailedAndProcessingJobs(failed: "failing", processing: "running")
        try await cli.run("enqueue", "--id", "waiting", "--command", "true").expectSuccess()
        let before = try await cli.statusJSON()

        try await cli.run("remove", "waiting", "running").expectError(
            status: 1, mentioning: ["'running'", "processing", "nothing was changed"])
        try await cli.run("remove", "waiting", "ghost").expectError(status: 1, mentioning: ["'ghost'"])
        #expect(try await cli.statusJSON() == before)
        #expect(try await cli.run("show", "waiting", "--json").jsonObject()["state"] as? String == "pending")
    }

    @Test("an id given twice, none, or one that is no id is exit 2 and changes nothing", arguments: ["remove", "restart", "promote"])
    func usageErrors(command: String) async throws {
        let cli = try await CLI(.sqlite)
        try await cli.run("enqueue", "--id", "job-abcdef", "--command", "true").expectSuccess()
        let before = try await cli.statusJSON()
        try await cli.run(command, "job-abcdef", "job-abcdef").expectError(
            status: 2, mentioning: ["'job-abcdef'", "more than once"])
        try await cli.run(command, "job-abc", "job-abcdef").expectError(
            status: 2, mentioning: ["'job-abc'", "'job-abcdef'", "both name job"])
        try await cli.run(command).expectError(status: 2, mentioning: ["at least one job id"])
        try await cli.run(command, "bad id!").expectError(status: 2, mentioning: ["bad id!"])
        #expect(try await cli.statusJSON() == before)
    }

    @Test("a unique prefix of 4 characters or more names the job; an ambiguous one exits 1", arguments: TestBackend.all)
    func prefixes(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        for id in ["report-2026-01", "report-2026-02", "invoice-77"] {
            try await cli.run("enqueue", "--id", id, "--delay", "1h", "--command", "true").expectSuccess()
        }
        try await cli.run("promote", "report-2026").expectError(status: 1, mentioning: ["ambiguous", "report-2026-01"])
        let promoted = try await cli.run("promote", "invo")
        promoted.expectSuccess()
        #expect(promoted.lines == ["invoice-77"])
        let removed = try await cli.run("remove", "report-2026-0")
        #expect(removed.status == 1)
        try await cli.run("remove", "report-2026-02").expectSuccess()
        #expect(try await cli.run("remove", "report-2026-0").lines == ["report-2026-01"])
    }

    @Test("restart runs a finished job again from scratch, and its log keeps the earlier run", arguments: TestBackend.all)
    func restartRunsAgain(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "--id", "greet", "--command", "echo hello-from-the-run").expectSuccess()
        try await cli.withWorkerScope {
            try await cli.run("worker", "start").expectSuccess()
            try await cli.run(["wait", "greet", "--timeout", "90"], timeout: .seconds(120)).expectSuccess()
            let restarted = try await cli.run("restart", "greet", "--json")
            restarted.expectSuccess()
            let job = try #require(try restarted.jsonArray().first)
            #expect(job["id"] as? String == "greet")
            #expect(job["attempts"] as? Int == 0 && job["snoozes"] as? Int == 0)
            #expect(["pending", "processing", "completed"].contains(job["state"] as? String ?? ""))
            #expect(try await eventually(timeout: .seconds(90)) {
                let shown = try await cli.run("show", "greet", "--json").jsonObject()
                return shown["state"] as? String == "completed" && shown["attempts"] as? Int == 1
            })
            let log = try await cli.run("logs", "greet")
            #expect(log.stdout.components(separatedBy: "hello-from-the-run").count - 1 == 2, "\(log)")
            try await cli.run(["worker", "stop"], timeout: .seconds(120)).expectSuccess()
        }
    }

    @Test("restart takes completed and dead jobs and refuses waiting ones, changing nothing", arguments: TestBackend.all)
    func restartStates(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.makeDeadJobs(["dead-1"])
        try await cli.makeFinishedJobs(["done-1"], age: 60)
        try await cli.makeFailedAndProcessingJobs(failed: "failing", processing: "running")
        try await cli.run("enqueue", "--id", "waiting", "--command", "true").expectSuccess()
        let before = try await cli.statusJSON()

        for refused in ["waiting", "failing", "running"] {
            try await cli.run("restart", "dead-1", refused).expectError(
                status: 1, mentioning: ["cannot restart job '\(refused)'", "nothing was changed"])
        }
        try await cli.run("restart", "dead-1", "ghost").expectError(status: 1, mentioning: ["'ghost'"])
        #expect(try await cli.statusJSON() == before)

        let restarted = try await cli.run("restart", "done-1", "dead-1")
        restarted.expectSuccess()
        #expect(restarted.lines == ["done-1", "dead-1"])
        for id in ["done-1", "dead-1"] {
            let job = try await cli.run("show", id, "--json").jsonObject()
            #expect(job["state"] as? String == "pending" && job["attempts"] as? Int == 0, "\(job)")
        }
    }

    @Test("promote makes a delayed or failed job due now, and refuses other states", arguments: TestBackend.all)
    func promote(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "--id", "later", "--delay", "2h", "--command", "true").expectSuccess()
        try await cli.makeFailedAndProcessingJobs(failed: "failing", processing: "running")
        try await cli.makeDeadJobs(["dead-1"])
        let before = try await cli.statusJSON()
        for refused in ["running", "dead-1"] {
            try await cli.run("promote", "later", refused).expectError(
                status: 1, mentioning: ["cannot promote job '\(refused)'"])
        }
        #expect(try await cli.statusJSON() == before)
        let waiting = try await cli.run("show", "later", "--json").jsonObject()
        #expect((waiting["run_at"] as? String).flatMap(Timestamp.parse).map { $0.timeIntervalSinceNow > 3000 } == true)

        let promoted = try await cli.run("promote", "later", "failing", "--json")
        promoted.expectSuccess()
        let jobs = try promoted.jsonArray()
        #expect(jobs.map { $0["id"] as? String } == ["later", "failing"])
        #expect(jobs.map { $0["state"] as? String } == ["pending", "failed"])
        for job in jobs {
            let runAt = try #require((job["run_at"] as? String).flatMap(Timestamp.parse))
            #expect(abs(runAt.timeIntervalSinceNow) < 60, "\(job)")
        }
        #expect(try await cli.run("promote", "later").lines == ["later"], "one already due is taken too")
    }
}
