import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Runs the built `queuectl` binary black-box, the way a user's shell would, against one test's own
/// data directory and database. Every run goes through `run(_:stdin:environment:timeout:)`, which sets
/// `QUEUECTL_HOME` and `QUEUECTL_DB` from this value, so the whole suite switches store with the backend.
struct CLI: Sendable {
    /// The binary: `$QUEUECTL_BIN`, else `<package>/.build/debug/queuectl`.
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["QUEUECTL_BIN"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/queuectl").path
    }()

    /// The store the test runs against.
    let backend: TestBackend
    /// The test's scratch directory (removed with the last reference).
    let directory: TempDirectory
    /// The data directory the binary is given (`QUEUECTL_HOME`).
    let home: String
    /// The database the binary is given (`QUEUECTL_DB`): a SQLite path or a PostgreSQL URL.
    let databaseURL: String

    /// A fresh home and database for one test.
    init(_ backend: TestBackend) async throws {
        self.backend = backend
        directory = try TempDirectory(prefix: "queuectl-cli")
        home = directory.file("home")
        databaseURL = try await backend.makeDatabaseURL(in: directory)
    }

    /// Opens the test's database in-process, for fixtures the CLI cannot create (dead jobs).
    func openStore() async throws -> any JobStore {
        try await backend.openStore(databaseURL)
    }

    /// Runs `queuectl arguments…` and returns what it printed and its exit status.
    /// `environment` adds variables or, with a nil value, removes them (`QUEUECTL_DB: nil` to test the default).
    /// `standardOutput` sends stdout to that file instead of capturing it (`/dev/full`, to make writes fail).
    /// `binary` runs another copy of queuectl instead of the built one.
    func run(
        _ arguments: [String], stdin: String? = nil, environment: [String: String?] = [:],
        timeout: Duration = .seconds(60), standardOutput: String? = nil, binary: String = CLI.binary
    ) async throws -> CLIResult {
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("QUEUECTL_") }
        variables["QUEUECTL_HOME"] = home
        variables["QUEUECTL_DB"] = databaseURL
        variables["NO_COLOR"] = "1"
        for (name, value) in environment { variables[name] = value }
        return try await Self.spawn(
            arguments, executable: binary, stdin: stdin, environment: variables, in: directory, timeout: timeout,
            standardOutput: standardOutput)
    }

    /// Runs `queuectl arguments…` (a plain sentence of words; no quoting) for brevity.
    func run(_ arguments: String...) async throws -> CLIResult {
        try await run(arguments)
    }

    /// `status --json` as a string, to prove that a rejected command changed nothing.
    func statusJSON() async throws -> String {
        let result = try await run(["status", "--json"])
        #expect(result.status == 0, "\(result)")
        return result.stdout
    }

    /// Spawns the binary (or `executable`, e.g. a script's shell) with stdout and stderr going to files (no
    /// pipe can fill up and block it).
    static func spawn(
        _ arguments: [String], executable: String = binary, stdin: String? = nil, environment: [String: String],
        in directory: TempDirectory, timeout: Duration, standardOutput: String? = nil
    ) async throws -> CLIResult {
        let token = UUID().uuidString.lowercased()
        let outPath = directory.file("out-\(token)")
        let errPath = directory.file("err-\(token)")
        let inPath = directory.file("in-\(token)")
        defer {
            for path in [outPath, errPath, inPath] { try? FileManager.default.removeItem(atPath: path) }
        }
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        _ = FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: standardOutput ?? outPath))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        defer {
            try? output.close()
            try? errors.close()
            try? input.close()
        }
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input

        let exited = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in exited.continuation.finish() }
        try process.run()
        let finished = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in exited.stream {}
                return true
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !finished {
            process.terminate()
            process.waitUntilExit()
            Issue.record("\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        }
        let stdout = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
        let stderr = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        let status =
            process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return CLIResult(stdout: stdout, stderr: stderr, status: status)
    }
}
