import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `queuectl` is the lean half (the SQLite store and the workers); `queuectl-server` beside it adds the
/// PostgreSQL store and the dashboard, and `queuectl` becomes it (exec: same process) for the commands that
/// need them. The rest of this suite proves the behaviour stays the same through that exec on both stores.
@Suite("the lean queuectl and queuectl-server")
struct LeanExecutableTests {
    /// The server libraries, as the mangled module prefix every Swift symbol of theirs carries, and BoringSSL's
    /// C symbol prefix.
    static let serverLibraries = [
        "$s11PostgresNIO", "$s11Hummingbird", "$s7NIOCore", "$s6Crypto", "$s10Prometheus", "CCryptoBoringSSL_",
    ]

    /// Where `queuectl` finds its sibling.
    static let sibling = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent()
        .appendingPathComponent("queuectl-server").path

    @Test("queuectl holds none of NIO, BoringSSL, Hummingbird, postgres-nio and Prometheus; queuectl-server all")
    func leanBinary() throws {
        let lean = try Data(contentsOf: URL(fileURLWithPath: CLI.binary))
        let server = try Data(contentsOf: URL(fileURLWithPath: Self.sibling))
        for library in Self.serverLibraries {
            #expect(!Self.contains(lean, library), "\(library) in \(CLI.binary)")
            #expect(Self.contains(server, library), "\(library) not in \(Self.sibling)")
        }
    }

    @Test(
        "workers run as queuectl on SQLite and as queuectl-server on PostgreSQL, in the process that was started",
        arguments: TestBackend.all)
    func workerExecutable(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let expected = try Self.realPath(backend == .sqlite ? CLI.binary : Self.sibling)
        try await cli.withWorkerScope {
            let run = try cli.startForeground(["worker", "run"])
            let process = run.process
            let registered = try await eventually(timeout: .seconds(60), poll: .milliseconds(200)) {
                (try? await cli.run("worker", "list", "--json").jsonArray().count) == 1
            }
            #expect(registered)
            #expect(Self.executable(of: process.processIdentifier) == expected)
            // The exit status and the signal handling are the worker's own: SIGTERM stops it cleanly.
            process.terminate()
            await run.exit()
            #expect(process.terminationReason == .exit && process.terminationStatus == 0)

            // Detached daemons re-execute the binary that started them.
            try await cli.run("worker", "start").expectSuccess()
            let pidFiles = try FileManager.default.contentsOfDirectory(atPath: cli.home + "/workers")
                .filter { $0.hasSuffix(".pid") }
            #expect(pidFiles.count == 1)
            for name in pidFiles {
                let pid = try #require(Int32(name.dropLast(4)))
                #expect(Self.executable(of: pid) == expected, "daemon \(pid)")
            }
            try await cli.run("worker", "stop").expectSuccess()
        }
    }

    @Test("without queuectl-server beside it, queuectl refuses PostgreSQL and the dashboard in one line and serves SQLite")
    func missingSibling() async throws {
        let cli = try await CLI(.sqlite)
        let folder = cli.directory.file("bin")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let alone = folder + "/queuectl"
        try FileManager.default.copyItem(atPath: CLI.binary, toPath: alone)
        let line =
            "queuectl: the PostgreSQL store and the dashboard need queuectl-server beside queuectl (\(folder)/queuectl-server); reinstall\n"
        let url = "postgres://queue:s3cret@127.0.0.1:1/queue"
        for (arguments, environment) in [
            (["status"], ["QUEUECTL_DB": url]),
            (["enqueue", "--db", url, "--command", "true"], [:]),
            (["worker", "run"], ["QUEUECTL_DB": url]),
            (["dashboard", "--port", "0"], [:]),
        ] as [([String], [String: String?])] {
            let result = try await cli.run(arguments, stdin: "", environment: environment, binary: alone)
            result.expectError(status: 1)
            #expect(result.stderr == line, "\(arguments)")
        }
        #expect(!FileManager.default.fileExists(atPath: cli.home), "nothing is created before the hand-over")
        try await cli.run(["enqueue", "--id", "local", "--command", "true"], binary: alone).expectSuccess()
        let job = try await cli.run(["show", "local", "--json"], binary: alone).jsonObject()
        #expect(job["state"] as? String == "pending")
    }

    @Test(
        "a command that has no handler stops on SIGINT, SIGTERM or SIGHUP, in queuectl and in queuectl-server",
        arguments: TestBackend.all)
    func signalsStopACommand(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run("enqueue", "--id", "later", "--delay", "3600", "--command", "true").expectSuccess()
        let expected = try Self.realPath(backend == .sqlite ? CLI.binary : Self.sibling)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            // Follows a job that will not run for an hour: only a signal ends it.
            let run = try cli.startForeground(["logs", "later", "--follow"])
            let pid = run.process.processIdentifier
            // On PostgreSQL the lean queuectl has become queuectl-server by now (exec: same pid), whose signal mask
            // is the one this checks (a mask survives exec).
            let handedOver = try await eventually(timeout: .seconds(60), poll: .milliseconds(50)) {
                Self.executable(of: pid) == expected
            }
            #expect(handedOver, "\(signal)")
            try await Task.sleep(for: .milliseconds(300))
            kill(pid, signal)
            let ended = try await eventually(timeout: .seconds(20), poll: .milliseconds(100)) { !run.process.isRunning }
            #expect(ended, "signal \(signal) left `logs --follow` running")
            if !ended { kill(pid, SIGKILL) }
            await run.exit()
            #expect(run.process.terminationReason == .uncaughtSignal && run.process.terminationStatus == signal, "\(signal)")
        }
    }

    /// Whether `data` holds the bytes of `text`.
    private static func contains(_ data: Data, _ text: String) -> Bool {
        data.range(of: Data(text.utf8)) != nil
    }

    /// The file `/proc/<pid>/exe` names, if the process runs.
    private static func executable(of pid: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
    }

    /// `path` with every symbolic link resolved (`.build/debug` is one), as `/proc/<pid>/exe` shows it.
    private static func realPath(_ path: String) throws -> String {
        guard let resolved = realpath(path, nil) else { throw QueueError.operationFailed("no such file: \(path)") }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
