import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// The start-up fast path of `enqueue` (issue 16) against the full command line. Two fresh stores get the same
/// invocations, one as they come and one with `QUEUECTL_FAST_PATH=0`; stdout, stderr, exit status and the stores
/// afterwards must be the same once the parts that differ by nature (generated ids, enqueue times, the home's
/// path) are masked.
@Suite("the start-up fast path of enqueue")
struct FastPathEnqueueTests {
    /// The invocations compared, in order: the fast path's forms and neighbours it must decline (JSON objects,
    /// other options, bad input, a taken id).
    static let invocations: [[String]] = [
        ["enqueue", "true"], ["enqueue", "echo héllo wörld 🎉 日本語"], ["enqueue", "--id", "fixed", "echo one"],
        ["enqueue", "--id", "fixed", "echo two"], ["enqueue", "--queue", "q1", "--json", "sleep 1"],
        ["enqueue", "--json", "--id", "tabs", "printf '\t\u{1B}[31m\"quoted\" \\\\ back'"],
        ["enqueue", "  echo leading blanks"], ["enqueue", "x {not json}"], ["enqueue", "\u{3000}{\"command\":\"true\"}"],
        ["enqueue", "{\"command\":\"echo json\"}"], ["enqueue", " {broken"], ["enqueue", ""], ["enqueue", "   "],
        ["enqueue", "--id", "bad id", "true"], ["enqueue", "--queue", "a/b", "true"], ["enqueue", "--priority", "3", "true"],
        ["enqueue", "--command", "echo c"], ["enqueue", "true", "false"], ["enqueue", "-"], ["enqueue", "--id", "fixed"],
        ["config", "set", "max_retries", "7"], ["config", "set", "job_timeout", "30"], ["enqueue", "--id", "configured", "true"],
        ["enqueue", "--json", "echo configured"],
    ]

    @Test("enqueue prints, exits and stores as the full command line does", arguments: TestBackend.all)
    func sameAsFullPath(backend: TestBackend) async throws {
        let fast = try await CLI(backend)
        let full = try await CLI(backend)
        // Both homes exist with a store, as after any first command.
        try await fast.run("status").expectSuccess()
        try await full.run("enqueue", "--id", "first", "true").expectSuccess()
        try await fast.run("enqueue", "--id", "first", "true").expectSuccess()
        for arguments in Self.invocations {
            let fastResult = try await fast.run(arguments, environment: ["QUEUECTL_FAST_PATH": nil])
            let fullResult = try await full.run(arguments, environment: ["QUEUECTL_FAST_PATH": "0"])
            #expect(fastResult.status == fullResult.status, "\(arguments): fast \(fastResult)\nfull \(fullResult)")
            #expect(
                Self.masked(fastResult.stdout, home: fast.home) == Self.masked(fullResult.stdout, home: full.home),
                "\(arguments): fast \(fastResult)\nfull \(fullResult)")
            #expect(fastResult.stderr == fullResult.stderr, "\(arguments): fast \(fastResult)\nfull \(fullResult)")
        }
        for arguments in [["list", "--json"], ["status", "--json"]] {
            let fastStore = try await fast.run(arguments, environment: ["QUEUECTL_FAST_PATH": "0"])
            let fullStore = try await full.run(arguments, environment: ["QUEUECTL_FAST_PATH": "0"])
            #expect(Self.masked(fastStore.stdout, home: fast.home) == Self.masked(fullStore.stdout, home: full.home))
        }
    }

    @Test("a plain enqueue takes the fast path on SQLite, and PostgreSQL never does", arguments: TestBackend.all)
    func fastPathTaken(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        // The first enqueue creates the home and the store, which the fast path leaves to the full one.
        let first = try await cli.run(["enqueue", "true"], environment: ["QUEUECTL_FAST_PATH": "trace"])
        first.expectSuccess()
        for arguments in [["enqueue", "true"], ["enqueue", "--json", "--id", "j1", "--queue", "q1", "echo hi"]] {
            let traced = try await cli.run(arguments, environment: ["QUEUECTL_FAST_PATH": "trace"])
            #expect(traced.status == 0, "\(traced)")
            #expect(traced.stderr == (backend == .sqlite ? "queuectl: fast path: enqueue\n" : ""), "\(traced)")
        }
        let shown = try await cli.run("show", "j1", "--json").jsonObject()
        #expect(shown["queue"] as? String == "q1" && shown["command"] as? String == "echo hi")
        #expect(try await cli.run(["list", "--json"]).jsonArray().count == 3)
    }

    @Test("a job enqueued on the fast path wakes an idle worker at once")
    func wakesWorkers() async throws {
        let cli = try await CLI(.sqlite)
        // Without a wake-up the worker would look again only after a minute.
        try await cli.run("config", "set", "poll_interval_ms", "60000").expectSuccess()
        try await cli.withWorkerScope {
            try await cli.run("worker", "start", "--count", "1").expectSuccess()
            let registered = try await eventually(timeout: .seconds(30)) {
                try await cli.run(["status", "--json"]).jsonObject()["workers"] as? Int == 1
            }
            #expect(registered)
            let traced = try await cli.run(["enqueue", "--id", "woken", "true"], environment: ["QUEUECTL_FAST_PATH": "trace"])
            #expect(traced.stderr == "queuectl: fast path: enqueue\n", "\(traced)")
            let waited = try await cli.run(["wait", "woken", "--timeout", "20"], timeout: .seconds(40))
            #expect(waited.status == 0, "\(waited)")
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("an enqueue whose output cannot be written says the job was stored, as the full command line does")
    func unwritableOutput() async throws {
        let cli = try await CLI(.sqlite)
        try await cli.run("enqueue", "true").expectSuccess()
        let fast = try await cli.run(
            ["enqueue", "--id", "lost1", "true"], environment: ["QUEUECTL_FAST_PATH": "trace"], standardOutput: "/dev/full")
        let full = try await cli.run(
            ["enqueue", "--id", "lost2", "true"], environment: ["QUEUECTL_FAST_PATH": "0"], standardOutput: "/dev/full")
        #expect(fast.status == 1 && fast.errorLines.first == "queuectl: fast path: enqueue", "\(fast)")
        #expect(fast.errorLines.dropFirst().joined().replacingOccurrences(of: "lost1", with: "lost2") + "\n" == full.stderr)
        full.expectError(status: 1, mentioning: ["lost2", "was enqueued"])
        try await cli.run("show", "lost1").expectSuccess()
    }

    /// `text` with generated ids, timestamps and the home's path masked.
    static func masked(_ text: String, home: String) -> String {
        var result = text.replacingOccurrences(of: home, with: "<home>")
        for (pattern, replacement) in [
            (#"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#, "<uuid>"),
            (#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z"#, "<time>"),
        ] {
            result = result.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return result
    }
}
