import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// A run that writes no output creates no log file, and `logs` still tells every run (black-box).
@Suite("Silent runs")
struct SilentRunTests {
    @Test("a job that prints nothing leaves no log file, and logs still shows every attempt's header and end line", arguments: TestBackend.all)
    func silentJob(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("config", "set", "backoff_base", "1").expectSuccess()
        // Fails silently once, then succeeds silently; the other fails silently once, then prints.
        let quietMarker = cli.directory.file("quiet-ran")
        let mixedMarker = cli.directory.file("mixed-ran")
        try await cli.run(["enqueue", "--id", "quiet", "--command", "test -f \(quietMarker) || { touch \(quietMarker); exit 1; }"])
            .expectSuccess()
        try await cli.run([
            "enqueue", "--id", "mixed", "--command", "if test -f \(mixedMarker); then echo second; else touch \(mixedMarker); exit 1; fi",
        ]).expectSuccess()
        try await cli.withWorkerScope {
            try await cli.run("worker", "start").expectSuccess()
            try await cli.run(["wait", "quiet", "mixed", "--timeout", "90"], timeout: .seconds(150)).expectSuccess()
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
        #expect(!cli.hasLogFile("quiet"), "a job that printed nothing has a log file")
        let shown = try await cli.run("show", "quiet", "--json").jsonObject()
        #expect(shown["log"] as? String == cli.queueHome.logFile(for: JobID(trusted: "quiet")), "show names where the file would be")

        let quiet = try await cli.run("logs", "quiet")
        quiet.expectSuccess()
        #expect(quiet.lines.count == 4, "\(quiet)")
        if quiet.lines.count == 4 {
            #expect(quiet.lines[0].hasPrefix("--- attempt 1 · ") && quiet.lines[0].contains(" · worker "), "\(quiet)")
            #expect(quiet.lines[1].hasPrefix("--- end of attempt 1 · exited with code 1 · "), "\(quiet)")
            #expect(quiet.lines[2].hasPrefix("--- attempt 2 · "), "\(quiet)")
            #expect(quiet.lines[3].hasPrefix("--- end of attempt 2 · exited with code 0 · "), "\(quiet)")
        }
        let last = try await cli.run("logs", "quiet", "--tail", "1")
        #expect(last.lines.count == 1 && last.lines[0].hasPrefix("--- end of attempt 2 · exited with code 0 · "), "\(last)")

        // The silent first attempt comes before the second one's header and output, as before.
        let mixed = try await cli.run("logs", "mixed")
        mixed.expectSuccess()
        #expect(mixed.lines.count == 5, "\(mixed)")
        if mixed.lines.count == 5 {
            #expect(mixed.lines[0].hasPrefix("--- attempt 1 · "), "\(mixed)")
            #expect(mixed.lines[1].hasPrefix("--- end of attempt 1 · exited with code 1 · "), "\(mixed)")
            #expect(mixed.lines[2].hasPrefix("--- attempt 2 · "), "\(mixed)")
            #expect(mixed.lines[3] == "second", "\(mixed)")
            #expect(mixed.lines[4].hasPrefix("--- end of attempt 2 · exited with code 0 · "), "\(mixed)")
        }
        // Only the run that printed is in the file.
        let file = try String(contentsOfFile: cli.queueHome.logFile(for: JobID(trusted: "mixed")), encoding: .utf8)
        #expect(file.hasPrefix("--- attempt 2 · ") && file.contains("\nsecond\n--- end of attempt 2 · "), "\(file)")

        // Removing the job removes its kept lines too: a new job with its id starts with an empty log.
        try await cli.run("remove", "quiet").expectSuccess()
        try await cli.run(["enqueue", "--id", "quiet", "--command", "true"]).expectSuccess()
        let fresh = try await cli.run("logs", "quiet")
        fresh.expectSuccess()
        #expect(fresh.stdout.isEmpty, "\(fresh)")
    }

    @Test("logs --follow of a running job that prints after a silent start shows its header, output and end line", arguments: TestBackend.all)
    func followAfterSilentStart(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let go = cli.directory.file("go")
        try await cli.run(["enqueue", "--id", "late", "--command", "while ! test -f \(go); do sleep 0.05; done; echo late"])
            .expectSuccess()
        try await cli.withWorkerScope {
            try await cli.run("worker", "start").expectSuccess()
            #expect(try await eventually(timeout: .seconds(60)) {
                try await cli.run("show", "late", "--json").jsonObject()["state"] as? String == "processing"
            })
            // A running job that printed nothing yet shows its run's header, as when every run wrote it first.
            let before = try await cli.run("logs", "late")
            before.expectSuccess()
            #expect(before.lines.count == 1 && before.lines.first?.hasPrefix("--- attempt 1 · ") == true, "\(before)")
            async let follow = cli.run(["logs", "late", "--follow"], timeout: .seconds(150))
            #expect(FileManager.default.createFile(atPath: go, contents: nil))
            let followed = try await follow
            followed.expectSuccess()
            #expect(followed.lines.count == 3, "\(followed)")
            if followed.lines.count == 3 {
                #expect(followed.lines[0].hasPrefix("--- attempt 1 · "), "\(followed)")
                #expect(followed.lines[1] == "late", "\(followed)")
                #expect(followed.lines[2].hasPrefix("--- end of attempt 1 · exited with code 0 · "), "\(followed)")
            }
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("silent, printing and silent attempts of one job, then a silent run after restart, are shown by logs in the order they ran", arguments: TestBackend.all)
    func silentAttemptsAroundOutputAndRestart(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("config", "set", "backoff_base", "1").expectSuccess()
        // Run 1 fails silently, run 2 prints and fails, run 3 succeeds silently; after the restart, run 4 too.
        let counter = cli.directory.file("runs")
        let command = "n=$(($(cat \(counter) 2>/dev/null || echo 0) + 1)); echo $n > \(counter); "
            + "if [ $n = 2 ]; then echo printed; exit 1; fi; [ $n -ge 3 ]"
        try await cli.run(["enqueue", "--id", "mixed", "--max-retries", "3", "--command", command]).expectSuccess()
        try await cli.withWorkerScope {
            try await cli.run("worker", "start").expectSuccess()
            try await cli.run(["wait", "mixed", "--timeout", "90"], timeout: .seconds(150)).expectSuccess()
            try await cli.run("restart", "mixed").expectSuccess()
            #expect(try await eventually(timeout: .seconds(90)) {
                let shown = try await cli.run("show", "mixed", "--json").jsonObject()
                return shown["state"] as? String == "completed" && shown["attempts"] as? Int == 1
            })
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
        let expected = [
            "--- attempt 1 · ", "--- end of attempt 1 · exited with code 1 · ", "--- attempt 2 · ", "printed",
            "--- end of attempt 2 · exited with code 1 · ", "--- attempt 3 · ", "--- end of attempt 3 · exited with code 0 · ",
            "--- attempt 1 · ", "--- end of attempt 1 · exited with code 0 · ",
        ]
        let logs = try await cli.run("logs", "mixed")
        logs.expectSuccess()
        #expect(logs.lines.count == expected.count, "\(logs)")
        for (line, start) in zip(logs.lines, expected) { #expect(line.hasPrefix(start), "\(logs)") }
        let tail = try await cli.run("logs", "mixed", "--tail", "3")
        #expect(tail.lines.count == 3 && tail.lines.first?.hasPrefix("--- end of attempt 3 · ") == true, "\(tail)")
        // Only the run that printed is in the file.
        let file = try String(contentsOfFile: cli.queueHome.logFile(for: JobID(trusted: "mixed")), encoding: .utf8)
        #expect(file.hasPrefix("--- attempt 2 · ") && file.hasSuffix(" ---\n") && file.split(separator: "\n").count == 3, "\(file)")
    }
}
