import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `logs --tail N` and a missing log file, black-box.
@Suite("logs --tail and missing logs")
struct LogsTailTests {
    @Test("--tail N prints the last N lines, with --follow then the rest", arguments: TestBackend.all)
    func tail(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run(["logs", "nope", "--tail", "-1"]).expectError(status: 2, mentioning: ["--tail", "out of range"])
        try await cli.run(["enqueue", "--id", "lines", "--command", "printf 'a\\nb\\nc\\nd\\n'"]).expectSuccess()
        try await cli.run(["enqueue", "--id", "later", "--command", "printf 'x\\ny\\n'; sleep 5; echo z"]).expectSuccess()
        let unrun = try await cli.run("logs", "lines", "--tail", "3")
        unrun.expectSuccess()
        #expect(unrun.stdout.isEmpty, "a job that has not run has no log yet")
        try await cli.withWorkerScope {
            try await cli.run("worker", "start", "--count", "2").expectSuccess()
            try await cli.run(["wait", "lines", "--timeout", "90"], timeout: .seconds(150)).expectSuccess()
            // The run's end line is the log's last line.
            let last = try await cli.run("logs", "lines", "--tail", "3")
            last.expectSuccess()
            #expect(Array(last.lines.prefix(2)) == ["c", "d"], "\(last)")
            #expect(last.lines.count == 3 && last.lines.last?.hasPrefix("--- end of attempt 1 · exited with code 0") == true, "\(last)")
            let all = try await cli.run("logs", "lines", "--tail", "100")
            #expect(all.lines.count == 6 && all.lines.first?.hasPrefix("--- attempt 1") == true, "\(all)")
            #expect(try await cli.run("logs", "lines", "--tail", "0").stdout.isEmpty)

            // Once `y` is in the log, --tail 1 --follow starts there and follows to the end of the run.
            #expect(try await eventually(timeout: .seconds(60)) { try await cli.run("logs", "later").stdout.contains("y\n") })
            let follow = try await cli.run(["logs", "later", "--tail", "1", "--follow"], timeout: .seconds(150))
            follow.expectSuccess()
            #expect(follow.stdout.hasPrefix("y\nz\n--- end of attempt 1 · exited with code 0"), "\(follow)")
            #expect(follow.lines.count == 3, "\(follow)")
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("a job that ran but whose log file was deleted says so on stderr (a file log) ", arguments: TestBackend.all)
    func missingLog(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run(["enqueue", "--id", "gone", "--command", "echo kept"]).expectSuccess()
        try await cli.withWorkerScope {
            try await cli.run("worker", "start").expectSuccess()
            try await cli.run(["wait", "gone", "--timeout", "90"], timeout: .seconds(150)).expectSuccess()
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
        let path = try #require(try await cli.run("show", "gone", "--json").jsonObject()["log"] as? String)
        try FileManager.default.removeItem(atPath: path)
        let logs = try await cli.run("logs", "gone")
        switch backend {
        case .sqlite:
            logs.expectError(status: 1, mentioning: ["'gone'", "missing", path])
        case .postgres:
            // The shared store keeps its own copy of the output, which every host reads.
            logs.expectSuccess()
            #expect(logs.stdout.contains("kept\n--- end of attempt 1 · exited with code 0"), "\(logs)")
        }
    }
}
