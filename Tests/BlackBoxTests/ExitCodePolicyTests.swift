import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Exit codes that change what happens next, black-box: the config keys, `enqueue --no-retry-exit-code`, and
/// a real worker running jobs that snooze or exit with a no-retry code.
@Suite("queuectl exit-code policy")
struct ExitCodePolicyTests {
    @Test("the exit-code keys are set and printed as config set takes them; the list is an array in JSON", arguments: TestBackend.all)
    func configKeys(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        #expect(try await cli.run("config", "get", "no_retry_exit_codes").stdout == "\n")
        try await cli.run("config", "set", "no-retry-exit-codes", "64,2").expectSuccess()
        try await cli.run("config", "set", "snooze_exit_code", "99").expectSuccess()
        try await cli.run("config", "set", "snooze-delay", "1").expectSuccess()
        try await cli.run("config", "set", "max_snoozes", "5").expectSuccess()
        #expect(try await cli.run("config", "get", "no_retry_exit_codes").stdout == "2,64\n")
        #expect(try await cli.run("config", "get", "snooze_exit_code").stdout == "99\n")
        let json = try await cli.run("config", "list", "--json").jsonObject()
        #expect(json["no_retry_exit_codes"] as? [Int] == [2, 64])
        #expect(json["snooze_exit_code"] as? Int == 99)
        #expect(json["snooze_delay"] as? Int == 1)
        #expect(json["max_snoozes"] as? Int == 5)
        // An empty value clears the list.
        try await cli.run("config", "set", "no_retry_exit_codes", "").expectSuccess()
        #expect(try await cli.run("config", "list", "--json").jsonObject()["no_retry_exit_codes"] as? [Int] == [])
    }

    @Test("a bad exit-code setting exits 2 with one line and changes nothing", arguments: TestBackend.all)
    func configErrors(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let before = try await cli.run("config", "list", "--json").stdout
        try await cli.run("config", "set", "no_retry_exit_codes", "2,x").expectError(status: 2, mentioning: ["no_retry_exit_codes", "'2,x'", "1 to 255"])
        try await cli.run("config", "set", "no_retry_exit_codes", "0").expectError(status: 2, mentioning: ["no_retry_exit_codes"])
        try await cli.run("config", "set", "no_retry_exit_codes", "300").expectError(status: 2, mentioning: ["'300'"])
        try await cli.run("config", "set", "snooze_exit_code", "256").expectError(status: 2, mentioning: ["snooze_exit_code", "0 to 255"])
        try await cli.run("config", "set", "snooze_exit_code", "-1").expectError(status: 2, mentioning: ["snooze_exit_code"])
        try await cli.run("config", "set", "snooze_delay", "soon").expectError(status: 2, mentioning: ["snooze_delay"])
        try await cli.run("config", "set", "max_snoozes", "-5").expectError(status: 2, mentioning: ["max_snoozes"])
        #expect(try await cli.run("config", "list", "--json").stdout == before)
    }

    @Test("enqueue takes the job's no-retry codes as options or JSON; the job shows them and its snoozes", arguments: TestBackend.all)
    func enqueueField(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "--id", "opt", "--command", "true", "--no-retry-exit-code", "64", "--no-retry-exit-code", "2")
            .expectSuccess()
        try await cli.run("enqueue", #"{"id":"js","command":"true","no_retry_exit_codes":[127]}"#).expectSuccess()
        try await cli.run("enqueue", "--id", "none", "--command", "true").expectSuccess()
        let jobs = try await cli.run("list", "--json").jsonArray()
        #expect(jobs.map { $0["no_retry_exit_codes"] as? [Int] } == [[2, 64], [127], []])
        #expect(jobs.map { $0["snoozes"] as? Int } == [0, 0, 0])
        // The additions come last, after the fields that were there before.
        let shown = try await cli.run("show", "opt", "--json").stdout
        let order = ["\"last_worker\"", "\"duration\"", "\"no_retry_exit_codes\"", "\"snoozes\""].compactMap {
            shown.range(of: $0)?.lowerBound
        }
        #expect(order.count == 4 && order == order.sorted(), "\(shown)")

        let managed = try await cli.run("enqueue", #"{"id":"m","command":"true","snoozes":3}"#)
        #expect(managed.status == 0)
        #expect(managed.stderr.contains("ignoring 'snoozes': it is managed by the queue"), "\(managed)")
        #expect(try await cli.run("show", "m", "--json").jsonObject()["snoozes"] as? Int == 0)

        let before = try await cli.statusJSON()
        try await cli.run("enqueue", "--command", "true", "--no-retry-exit-code", "0")
            .expectError(status: 2, mentioning: ["no_retry_exit_codes", "1 to 255"])
        try await cli.run("enqueue", "--command", "true", "--no-retry-exit-code", "x").expectError(status: 2)
        try await cli.run("enqueue", #"{"command":"true","no_retry_exit_codes":"2"}"#)
            .expectError(status: 2, mentioning: ["'no_retry_exit_codes'"])
        #expect(try await cli.statusJSON() == before)
    }

    @Test("a job that exits 75 and then 0 ends completed with attempts 1 and snoozes 1; no-retry codes go straight to dead", arguments: TestBackend.all)
    func realWorker(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let marker = cli.directory.file("marker")
        let seen = cli.directory.file("seen")
        try await cli.run("config", "set", "snooze_delay", "1").expectSuccess()
        try await cli.run("config", "set", "no_retry_exit_codes", "4").expectSuccess()
        try await cli.run(
            "enqueue", "--id", "snoozy", "--max-retries", "0", "--command",
            "echo \"$QUEUECTL_SNOOZE_EXIT_CODE\" >> '\(seen)'; [ -f '\(marker)' ] || { touch '\(marker)'; exit 75; }"
        ).expectSuccess()
        try await cli.run("enqueue", "--id", "by-config", "--max-retries", "5", "--command", "exit 4").expectSuccess()
        try await cli.run(
            "enqueue", "--id", "by-job", "--max-retries", "5", "--no-retry-exit-code", "127", "--command",
            "no-such-command-for-queuectl-tests"
        ).expectSuccess()
        try await cli.withWorkerScope {
            try await cli.run("worker", "start").expectSuccess()
            #expect(try await eventually(timeout: .seconds(120)) {
                let states = try await cli.run("list", "--json").jsonArray().map { $0["state"] as? String }
                return states == ["completed", "dead", "dead"]
            })
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
        let snoozy = try await cli.run("show", "snoozy", "--json").jsonObject()
        #expect(snoozy["attempts"] as? Int == 1, "\(snoozy)")
        #expect(snoozy["snoozes"] as? Int == 1, "\(snoozy)")
        #expect(snoozy["exit_code"] as? Int == 0)
        // The job was told the snooze code on both runs.
        #expect(try String(contentsOfFile: seen, encoding: .utf8) == "75\n75\n")
        let log = try await cli.run("logs", "snoozy").stdout
        #expect(log.contains("--- end of attempt 1 · exited with code 75: snoozed (1 of at most 100), not counted as an attempt · "), "\(log)")
        #expect(log.contains("--- end of attempt 1 · exited with code 0 · "), "\(log)")

        for id in ["by-config", "by-job"] {
            let job = try await cli.run("show", id, "--json").jsonObject()
            #expect(job["attempts"] as? Int == 1, "\(job)")
            #expect((job["last_error"] as? String)?.hasSuffix("which is in no_retry_exit_codes: not retried") == true, "\(job)")
        }
    }

    @Test("with snooze_exit_code 0 a job is not told a snooze code (not even one the worker inherited) and exit 75 is an ordinary failure", arguments: TestBackend.all)
    func snoozeOff(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let seen = cli.directory.file("seen")
        try await cli.run("config", "set", "snooze_exit_code", "0").expectSuccess()
        try await cli.run(
            "enqueue", "--id", "plain", "--max-retries", "0", "--command",
            "echo \"[${QUEUECTL_SNOOZE_EXIT_CODE-unset}]\" > '\(seen)'; exit 75"
        ).expectSuccess()
        try await cli.withWorkerScope {
            try await cli.run(["worker", "start"], environment: ["QUEUECTL_SNOOZE_EXIT_CODE": "99"]).expectSuccess()
            #expect(try await eventually(timeout: .seconds(120)) {
                try await cli.run("show", "plain", "--json").jsonObject()["state"] as? String == "dead"
            })
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
        let job = try await cli.run("show", "plain", "--json").jsonObject()
        #expect(job["snoozes"] as? Int == 0)
        #expect(job["last_error"] as? String == "exited with code 75")
        #expect(try String(contentsOfFile: seen, encoding: .utf8) == "[unset]\n")
    }

    @Test("a run is judged by the snooze code it was told at its start, even if the setting changes while it runs", arguments: TestBackend.all)
    func rulesOfTheStart(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let marker = cli.directory.file("marker")
        let seen = cli.directory.file("seen")
        try await cli.run("config", "set", "snooze_delay", "1").expectSuccess()
        // The first run turns snoozing off and then exits 75: it was told 75, so it is snoozed. The second run
        // starts with snoozing off: it is told nothing and its exit 75 is its one failed run.
        let turnOff = "'\(CLI.binary)' config set snooze_exit_code 0 --home '\(cli.home)' --db '\(cli.databaseURL)'"
        try await cli.run(
            "enqueue", "--id", "changed", "--max-retries", "0", "--command",
            "echo \"[${QUEUECTL_SNOOZE_EXIT_CODE-unset}]\" >> '\(seen)'; [ -f '\(marker)' ] || { touch '\(marker)'; \(turnOff); }; exit 75"
        ).expectSuccess()
        try await cli.withWorkerScope {
            try await cli.run("worker", "start").expectSuccess()
            #expect(try await eventually(timeout: .seconds(120)) {
                try await cli.run("show", "changed", "--json").jsonObject()["state"] as? String == "dead"
            })
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
        let job = try await cli.run("show", "changed", "--json").jsonObject()
        #expect(job["snoozes"] as? Int == 1, "\(job)")
        #expect(job["attempts"] as? Int == 1, "\(job)")
        #expect(job["last_error"] as? String == "exited with code 75")
        #expect(try String(contentsOfFile: seen, encoding: .utf8) == "[75]\n[unset]\n")
    }
}
