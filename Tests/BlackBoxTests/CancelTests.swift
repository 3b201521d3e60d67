import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `queuectl cancel`, black-box: waiting jobs at once, running jobs stopped by their worker with their whole
/// process group, all-or-nothing over the ids, and every error.
@Suite("cancel")
struct CancelTests {
    @Test("cancel stops pending and failed jobs at once; status, list and wait show them cancelled", arguments: TestBackend.all)
    func waitingJobs(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run(["enqueue", "--id", "later", "--delay", "600", "--command", "true"]).expectSuccess()
        try await cli.makeFailedAndProcessingJobs(failed: "flaky", processing: "busy")
        let result = try await cli.run("cancel", "later", "flak")
        result.expectSuccess()
        #expect(result.stdout == "later\nflaky\n")
        let counts = try await cli.run("status", "--json").jsonObject()
        #expect(counts["cancelled"] as? Int == 2 && counts["pending"] as? Int == 0 && counts["failed"] as? Int == 0)
        #expect(counts["processing"] as? Int == 1, "the running job is untouched")
        let listed = try await cli.run("list", "--state", "cancelled", "--json").jsonArray()
        #expect(listed.compactMap { $0["id"] as? String } == ["later", "flaky"])
        #expect(listed.allSatisfy { $0["state"] as? String == "cancelled" && $0["last_error"] as? String == "cancelled" })
        try await cli.run("wait", "later").expectError(status: 1, mentioning: ["'later'", "cancelled"])
        let table = try await cli.run("status")
        #expect(table.stdout.contains("cancelled"), "\(table)")
    }

    @Test("cancel --json prints the resulting jobs", arguments: TestBackend.all)
    func json(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run(["enqueue", "--id", "one", "--delay", "600", "--command", "true"]).expectSuccess()
        let jobs = try await cli.run("cancel", "one", "--json").jsonArray()
        #expect(jobs.count == 1)
        #expect(jobs.first?["id"] as? String == "one" && jobs.first?["state"] as? String == "cancelled")
    }

    @Test("cancel is all-or-nothing and names the id it refuses", arguments: TestBackend.all)
    func errors(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run(["enqueue", "--id", "keep", "--delay", "600", "--command", "true"]).expectSuccess()
        try await cli.makeDeadJobs(["gone"])
        let before = try await cli.statusJSON()
        try await cli.run("cancel", "keep", "nope").expectError(status: 1, mentioning: ["'nope'"])
        try await cli.run("cancel", "keep", "gone").expectError(status: 1, mentioning: ["'gone'", "dead"])
        #expect(try await cli.statusJSON() == before, "nothing was cancelled")
        try await cli.run("cancel", "keep", "--grace", "-1").expectError(status: 2, mentioning: ["--grace"])
        try await cli.run("cancel", "keep", "--grace", "soon").expectError(status: 2, mentioning: ["--grace"])
        try await cli.run("cancel").expectError(status: 2)
        try await cli.run("cancel", "bad/id").expectError(status: 2)
        #expect(try await cli.statusJSON() == before, "nothing was cancelled")
        // The same job named twice is a usage error (see RepeatedJobIDTests); once, it is cancelled.
        try await cli.run("cancel", "keep", "keep").expectError(status: 2, mentioning: ["'keep'", "more than once"])
        #expect(try await cli.statusJSON() == before, "nothing was cancelled")
        let once = try await cli.run("cancel", "keep")
        once.expectSuccess()
        #expect(once.stdout == "keep\n")
        try await cli.run("cancel", "keep").expectError(status: 1, mentioning: ["'keep'", "cancelled"])
    }

    @Test("a completed job cannot be cancelled", arguments: TestBackend.all)
    func completedJob(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            try await cli.run(["enqueue", "--id", "quick", "--command", "true"]).expectSuccess()
            try await cli.run("worker", "start").expectSuccess()
            try await cli.run(["wait", "quick", "--timeout", "60"], timeout: .seconds(90)).expectSuccess()
            try await cli.run("cancel", "quick").expectError(status: 1, mentioning: ["'quick'", "completed"])
            try await cli.run(["worker", "stop"], timeout: .seconds(90)).expectSuccess()
        }
    }

    @Test(
        "a running job's whole process group is gone within 2 s of cancel returning, and the job never runs again",
        arguments: TestBackend.all)
    func runningJob(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let pidFile = cli.directory.file("pgid")
        let runs = cli.directory.file("runs")
        try await cli.withWorkerScope {
            try await cli.run("config", "set", "backoff_base", "1").expectSuccess()
            try await cli.run([
                "enqueue", "--id", "long", "--max-retries", "3",
                "--command", "echo run >> \(runs); echo $$ > \(pidFile); sleep 300 & sleep 300",
            ]).expectSuccess()
            try await cli.run("worker", "start").expectSuccess()
            let started = try await eventually(timeout: .seconds(60)) { readPgid(pidFile) != nil }
            #expect(started)
            let pgid = try #require(readPgid(pidFile))
            #expect(processGroupIsAlive(pgid))

            let result = try await cli.run("cancel", "long")
            result.expectSuccess()
            #expect(result.stdout == "long\n")
            let returned = ContinuousClock.now
            let gone = try await eventually(timeout: .seconds(10), poll: .milliseconds(20)) { !processGroupIsAlive(pgid) }
            let took = ContinuousClock.now - returned
            #expect(gone && took < .seconds(2), "the group was gone after \(took)")
            let ended = try await eventually(timeout: .seconds(10)) {
                let job = try await cli.run("show", "long", "--json").jsonObject()
                return job["state"] as? String == "cancelled"
            }
            #expect(ended)
            let job = try await cli.run("show", "long", "--json").jsonObject()
            #expect(job["last_error"] as? String == "cancelled" && job["attempts"] as? Int == 1)
            // Never run again: a job that could be retried would be due within a second (backoff_base 1).
            try await cli.run(["enqueue", "--id", "marker", "--delay", "2", "--command", "true"]).expectSuccess()
            try await cli.run(["wait", "marker", "--timeout", "60"], timeout: .seconds(90)).expectSuccess()
            #expect((try? String(contentsOfFile: runs, encoding: .utf8)) == "run\n")
            try await cli.run(["worker", "stop"], timeout: .seconds(90)).expectSuccess()
        }
    }

    @Test("cancel --wait returns once the run stopped, even one that ignores SIGTERM (SIGKILL after --grace)", arguments: TestBackend.all)
    func waitWithGrace(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let pidFile = cli.directory.file("pgid")
        try await cli.withWorkerScope {
            try await cli.run([
                "enqueue", "--id", "stubborn", "--command", "trap '' TERM; echo $$ > \(pidFile); sleep 300",
            ]).expectSuccess()
            try await cli.run("worker", "start").expectSuccess()
            #expect(try await eventually(timeout: .seconds(60)) { readPgid(pidFile) != nil })
            let pgid = try #require(readPgid(pidFile))
            let sent = ContinuousClock.now
            let result = try await cli.run(["cancel", "stubborn", "--wait", "--grace", "1500ms", "--json"], timeout: .seconds(60))
            let took = ContinuousClock.now - sent
            result.expectSuccess()
            let jobs = try result.jsonArray()
            #expect(jobs.first?["state"] as? String == "cancelled")
            #expect(!processGroupIsAlive(pgid))
            #expect(took >= .milliseconds(1500), "SIGTERM was ignored: the run lasted until SIGKILL (\(took))")
            try await cli.run(["worker", "stop"], timeout: .seconds(90)).expectSuccess()
        }
    }

    @Test("a run that exits 0 after its SIGTERM still ends cancelled", arguments: TestBackend.all)
    func exitZeroAfterSignal(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let pidFile = cli.directory.file("pgid")
        try await cli.withWorkerScope {
            try await cli.run([
                "enqueue", "--id", "polite", "--command", "trap 'exit 0' TERM; echo $$ > \(pidFile); while :; do sleep 0.1; done",
            ]).expectSuccess()
            try await cli.run("worker", "start").expectSuccess()
            #expect(try await eventually(timeout: .seconds(60)) { readPgid(pidFile) != nil })
            let result = try await cli.run(["cancel", "polite", "--wait"], timeout: .seconds(60))
            result.expectSuccess()
            let job = try await cli.run("show", "polite", "--json").jsonObject()
            #expect(job["state"] as? String == "cancelled")
            try await cli.run(["worker", "stop"], timeout: .seconds(90)).expectSuccess()
        }
    }
}

/// The process group id a job wrote to `path` (`echo $$`: the job's shell leads its group).
func readPgid(_ path: String) -> Int32? {
    (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}
