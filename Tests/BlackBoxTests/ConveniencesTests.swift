import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Suggestions for mistyped command words, the notes of waiting commands, completion scripts, `worker list`
/// queues and `config get` without a key, black-box.
@Suite("conveniences")
struct ConveniencesTests {
    @Test("a mistyped command word exits 2 with one line suggesting the command")
    func didYouMean() async throws {
        let cli = try await CLI(.sqlite)
        try await cli.run("stauts").expectError(status: 2, mentioning: ["'stauts'", "did you mean 'status'?"])
        try await cli.run("worker", "strat").expectError(
            status: 2, mentioning: ["'strat'", "did you mean 'start'?", "queuectl worker --help"])
        try await cli.run("dlq", "rerty", "x").expectError(status: 2, mentioning: ["did you mean 'retry'?"])
        try await cli.run("enqeue", "true").expectError(status: 2, mentioning: ["did you mean 'enqueue'?"])
        #expect(!FileManager.default.fileExists(atPath: cli.home), "nothing ran")
    }

    @Test("wait says once on stderr that no worker runs, and keeps waiting", arguments: TestBackend.all)
    func waitWithoutWorker(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run(["enqueue", "--id", "idle", "--command", "true"]).expectSuccess()
        let result = try await cli.run("wait", "idle", "--timeout", "3")
        #expect(result.status == 1)
        #expect(
            result.errorLines == [
                "queuectl: note: no worker is running; start one with 'queuectl worker start'",
                "queuectl: timed out after 3s waiting for job 'idle' (pending)",
            ], "\(result)")
    }

    @Test("wait names the queue no running worker serves; with one serving it, no note", arguments: TestBackend.all)
    func waitForAnotherQueue(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run(["enqueue", "--id", "mail", "--queue", "emails", "--command", "true"]).expectSuccess()
        try await cli.withWorkerScope {
            try await cli.run("worker", "start", "--queue", "reports").expectSuccess()
            let list = try await cli.run("worker", "list")
            list.expectSuccess()
            #expect(list.lines.first?.contains("QUEUES") == true && list.stdout.contains("reports"), "\(list)")
            let result = try await cli.run("wait", "mail", "--timeout", "3")
            #expect(result.errorLines.first?.contains("no running worker serves queue 'emails'") == true, "\(result)")
            try await cli.run("worker", "start", "--queue", "emails", "--queue", "other").expectSuccess()
            #expect(try await cli.run("worker", "list").stdout.contains("emails,other"))
            try await cli.run(["wait", "mail", "--timeout", "90"], timeout: .seconds(150)).expectSuccess()
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("completions are listed in --help and complete states and config keys", arguments: ["bash", "zsh", "fish"])
    func completions(shell: String) async throws {
        let cli = try await CLI(.sqlite)
        let help = try await cli.run("--help")
        #expect(help.stdout.contains("completions"), "\(help)")
        let script = try await cli.run("completions", shell)
        script.expectSuccess()
        for word in JobState.allCases.map(\.rawValue) + QueueConfig.Key.allCases.map(\.rawValue) {
            #expect(script.stdout.contains(word), "\(word) in the \(shell) script")
        }
        try await cli.run("completions", "tcsh").expectError(status: 2, mentioning: ["'tcsh'", "bash"])
        #expect(!FileManager.default.fileExists(atPath: cli.home), "completions touch no data")
    }

    @Test("config get without a key prints every key as config list does", arguments: TestBackend.all)
    func configGetAll(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("config", "set", "max_retries", "5").expectSuccess()
        let all = try await cli.run("config", "get")
        all.expectSuccess()
        #expect(all.stdout == (try await cli.run("config", "list").stdout))
        #expect(all.stdout.contains("max_retries") && all.stdout.contains("5"))
        #expect(try await cli.run("config", "get", "--json").stdout == (try await cli.run("config", "list", "--json").stdout))
        #expect(try await cli.run("config", "get", "max_retries").stdout == "5\n")
    }

    @Test("show gives a finished job's duration and the worker that ran it", arguments: TestBackend.all)
    func showDurationAndLastWorker(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run(["enqueue", "--id", "timed", "--command", "sleep 1"]).expectSuccess()
        let pending = try await cli.run("show", "timed")
        #expect(pending.lines.contains { $0.hasPrefix("duration:") && $0.hasSuffix(" -") }, "\(pending)")
        try await cli.withWorkerScope {
            let worker = try #require(try await cli.run("worker", "start").lines.first)
            try await cli.run(["wait", "timed", "--timeout", "90"], timeout: .seconds(150)).expectSuccess()
            let human = try await cli.run("show", "timed")
            human.expectSuccess()
            let fields = Dictionary(
                human.lines.map { line in
                    (String(line.prefix { $0 != ":" }), line.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces))
                }, uniquingKeysWith: { first, _ in first })
            #expect(fields["last_worker"] == worker, "\(human)")
            #expect(fields["worker"] == "-")
            let duration = try #require(fields["duration"])
            #expect(duration.hasSuffix("s") && (Double(duration.dropLast()) ?? 0) >= 1, "\(human)")
            let json = try await cli.run("show", "timed", "--json").jsonObject()
            #expect(json["last_worker"] as? String == worker)
            #expect((json["duration"] as? Double ?? 0) >= 1, "\(json)")
            #expect(json["worker"] is NSNull)
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    /// A job written behind the store's back (raw SQL: no wake-up reaches the workers) is found only by the
    /// idle poll: with `poll_interval_ms` at ten minutes, only `--poll-interval` can find it in time. SQLite only,
    /// since raw SQL goes through the SQLite fixture; the option does not depend on the store.
    @Test("worker start --poll-interval replaces poll_interval_ms for that daemon")
    func pollInterval() async throws {
        let cli = try await CLI(.sqlite)
        try await cli.run("worker", "start", "--poll-interval", "5").expectError(status: 2, mentioning: ["--poll-interval", "out of range"])
        try await cli.run("config", "set", "poll_interval_ms", "600000").expectSuccess()
        try await cli.withWorkerScope {
            try await cli.run("worker", "start", "--poll-interval", "50").expectSuccess()
            try SQLiteSchema.execute(
                [
                    """
                    INSERT INTO queuectl_job (id, command, max_retries, run_at, queue, created_at, updated_at)
                    VALUES ('quiet', 'true', 0, 0, 'default', 0, 0)
                    """,
                    "UPDATE queuectl_state_count SET count = count + 1 WHERE state = 'pending'",
                ], inDatabaseAt: cli.databaseURL)
            try await cli.run(["wait", "quiet", "--timeout", "30"], timeout: .seconds(150)).expectSuccess()
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("worker start --timeout limits the jobs that name no timeout, not the others", arguments: TestBackend.all)
    func workerTimeout(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("worker", "start", "--timeout", "-1").expectError(status: 2, mentioning: ["--timeout", "out of range"])
        try await cli.run(["enqueue", "--id", "unnamed", "--max-retries", "0", "--command", "sleep 30"]).expectSuccess()
        try await cli.run(["enqueue", "--id", "named", "--timeout", "1m", "--command", "sleep 2"]).expectSuccess()
        try await cli.withWorkerScope {
            try await cli.run("worker", "start", "--count", "2", "--timeout", "1s").expectSuccess()
            try await cli.run(["wait", "named", "--timeout", "90"], timeout: .seconds(150)).expectSuccess()
            try await cli.run(["wait", "unnamed", "--timeout", "90"], timeout: .seconds(150))
                .expectError(status: 1, mentioning: ["'unnamed'", "dead", "timed out after 1s"])
            let unnamed = try await cli.run("show", "unnamed", "--json").jsonObject()
            #expect(unnamed["timeout"] as? Int == 0, "the job's own resolved timeout is unchanged: \(unnamed)")
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("the completion of a job id argument answers the store's ids, and creates nothing", arguments: TestBackend.all)
    func jobIDCompletion(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        for id in ["comp-1", "comp-2", "other"] {
            try await cli.run(["enqueue", "--id", id, "--command", "true"]).expectSuccess()
        }
        // What the scripts run for `queuectl show co<TAB>` (see `completions bash`).
        let typed = try await cli.run(["---completion", "show", "--", "positional@0", "2", "2", "queuectl", "show", "co"])
        typed.expectSuccess()
        #expect(typed.lines == ["comp-1", "comp-2"], "\(typed)")
        let all = try await cli.run(["---completion", "dlq", "retry", "--", "positional@0", "3", "0", "queuectl", "dlq", "retry", ""])
        #expect(Set(all.lines) == ["comp-1", "comp-2", "other"], "\(all)")

        let elsewhere = cli.directory.file("no-home")
        let none = try await cli.run(
            ["---completion", "logs", "--", "positional@0", "2", "0", "queuectl", "logs", ""],
            environment: ["QUEUECTL_HOME": elsewhere, "QUEUECTL_DB": nil])
        #expect(none.status == 0 && none.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(none)")
        #expect(!FileManager.default.fileExists(atPath: elsewhere), "completion creates no data directory")
    }

    @Test("logs --follow says once that no worker runs, keeps following, and ends with the job", arguments: TestBackend.all)
    func followWithoutWorker(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run(["enqueue", "--id", "waiting", "--command", "echo ran"]).expectSuccess()
        try await cli.withWorkerScope {
            async let follow = cli.run(["logs", "waiting", "--follow"], timeout: .seconds(150))
            // The running command's stderr goes to an `err-*` file of the test directory (see `CLI.run`):
            // start a worker only once the note is there.
            let noted = try await eventually(timeout: .seconds(60)) {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: cli.directory.path)) ?? []
                return names.filter { $0.hasPrefix("err-") }.contains { name in
                    (try? String(contentsOfFile: cli.directory.file(name), encoding: .utf8))?.contains("no worker is running") == true
                }
            }
            #expect(noted)
            try await cli.run("worker", "start").expectSuccess()
            let result = try await follow
            #expect(result.status == 0, "\(result)")
            #expect(result.errorLines == ["queuectl: note: no worker is running; start one with 'queuectl worker start'"])
            #expect(result.stdout.contains("ran\n--- end of attempt 1 · exited with code 0"), "\(result)")
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }
}
