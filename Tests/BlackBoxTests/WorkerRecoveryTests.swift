import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Lost workers, timeouts and retry spacing, black-box.
@Suite("Worker recovery and retries")
struct WorkerRecoveryTests {
    @Test("a job whose daemon was killed with SIGKILL is recovered and completes; its processes are gone", arguments: TestBackend.all)
    func killedDaemon(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            try await cli.run("config", "set", "lease_timeout", "3").expectSuccess()
            try await cli.run("config", "set", "backoff_base", "1").expectSuccess()
            try await cli.run("config", "set", "poll_interval_ms", "100").expectSuccess()
            let pids = cli.directory.file("pids")
            let command = "echo $$ >> \(pids); if [ \"$QUEUECTL_ATTEMPT\" = 1 ]; then sleep 1000; fi"
            try await cli.run(["enqueue", "--id", "victim", "--max-retries", "2", "--command", command]).expectSuccess()
            try await cli.run("worker", "start").expectSuccess()
            let daemon = try #require(try await cli.run("worker", "list", "--json").jsonArray().first?["pid"] as? Int)
            #expect(try await eventually(timeout: .seconds(120)) { cli.readPid(pids) != nil })
            let firstRun = try #require(cli.readPid(pids))

            kill(Int32(daemon), SIGKILL)
            try await cli.run("worker", "start").expectSuccess()
            let started = ContinuousClock.now
            let wait = try await cli.run(["wait", "victim", "--timeout", "90"], timeout: .seconds(150))
            wait.expectSuccess()
            // lease_timeout (3 s) + a poll + the 1 s backoff, with room for a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(60))
            let job = try await cli.run("show", "victim", "--json").jsonObject()
            #expect(job["attempts"] as? Int == 2)
            #expect(try await eventually(timeout: .seconds(60)) { !cli.processIsRunning(firstRun) })
            #expect(try await eventually(timeout: .seconds(60)) { !cli.processIsRunning(Int32(daemon)) })
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("a timed-out job loses its whole process group and goes failed, then dead", arguments: TestBackend.all)
    func timeout(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            try await cli.run("config", "set", "backoff_base", "1").expectSuccess()
            let children = cli.directory.file("children")
            let command = "sleep 1000 & echo $! >> \(children); sleep 999"
            try await cli.run(["enqueue", "--id", "slow", "--timeout", "1", "--max-retries", "1", "--command", command])
                .expectSuccess()
            try await cli.run("worker", "start").expectSuccess()
            let wait = try await cli.run(["wait", "slow", "--timeout", "90"], timeout: .seconds(150))
            wait.expectError(status: 1, mentioning: ["slow", "dead", "timed out after 1s"])
            let job = try await cli.run("show", "slow", "--json").jsonObject()
            #expect(job["attempts"] as? Int == 2)
            #expect(job["last_error"] as? String == "timed out after 1s")
            // Two runs (failed, then retried and dead), each with its own header in the log.
            let log = try await cli.run("logs", "slow")
            #expect(log.lines.filter { $0.hasPrefix("--- attempt ") }.count == 2)
            let pids = try String(contentsOfFile: children, encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
            #expect(pids.count == 2)
            for pid in pids { #expect(try await eventually(timeout: .seconds(60)) { !cli.processIsRunning(pid) }) }
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("output without a final newline ends its line before the run's end line and the next header", arguments: TestBackend.all)
    func outputWithoutFinalNewline(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            try await cli.run("config", "set", "backoff_base", "1").expectSuccess()
            try await cli.run(["enqueue", "--id", "noeol", "--max-retries", "1", "--command", "printf noeol; exit 1"])
                .expectSuccess()
            try await cli.run("worker", "start").expectSuccess()
            try await cli.run(["wait", "noeol", "--timeout", "90"], timeout: .seconds(150))
                .expectError(status: 1, mentioning: ["noeol", "dead"])
            let log = try await cli.run("logs", "noeol")
            log.expectSuccess()
            #expect(!log.stdout.contains("noeol---") && !log.stdout.contains("\n\n"), "\(log.stdout)")
            try #require(log.lines.count == 6, "\(log.stdout)")
            #expect(log.lines[0].hasPrefix("--- attempt 1 · "))
            #expect(log.lines[1] == "noeol")
            #expect(log.lines[2].hasPrefix("--- end of attempt 1 · exited with code 1 · "))
            #expect(log.lines[3].hasPrefix("--- attempt 2 · "))
            #expect(log.lines[4] == "noeol")
            #expect(log.lines[5].hasPrefix("--- end of attempt 2 · exited with code 1 · "))
            #expect(log.stdout.hasSuffix(" ---\n"))
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("with backoff base 2, a failing job's runs are spaced about 2 s, then 4 s apart", arguments: [TestBackend.sqlite])
    func realBackoff(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            let times = cli.directory.file("times")
            try await cli.run(["enqueue", "--id", "flaky", "--max-retries", "2", "--command", "date +%s.%N >> \(times); exit 1"])
                .expectSuccess()
            try await cli.run("worker", "start").expectSuccess()
            try await cli.run(["wait", "flaky", "--timeout", "90"], timeout: .seconds(150)).expectError(status: 1, mentioning: ["flaky", "dead"])
            let stamps = try String(contentsOfFile: times, encoding: .utf8).split(separator: "\n").compactMap { Double($0) }
            #expect(stamps.count == 3)
            if stamps.count == 3 {
                let first = stamps[1] - stamps[0]
                let second = stamps[2] - stamps[1]
                #expect(first >= 1.95 && first < 4.5, "first gap \(first)")
                #expect(second >= 3.95 && second < 6.5, "second gap \(second)")
            }
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }
}
