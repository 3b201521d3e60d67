import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// What a job's environment holds: its queue (so it can call `queuectl`), never a password or the dashboard token.
@Suite("Job environment and secrets")
struct JobEnvironmentTests {
    /// Checked for as a whole: other suites run at the same time with their own made-up passwords in their
    /// arguments, and this test's job lists every process (`ps`), so a shorter marker would find theirs.
    private static let secret = "Pw7JOBLEAKsecret"

    /// `cli`'s PostgreSQL URL with a made-up password (the test server trusts every login, so it still connects).
    private static func urlWithPassword(_ cli: CLI) throws -> String {
        var components = try #require(URLComponents(string: cli.databaseURL))
        components.password = secret
        return try #require(components.string)
    }

    /// The job's command: its environment, the process list, and a `queuectl status` on its own queue.
    private static let probe = "env; echo '--- ps'; ps -eo args; echo '--- status'; '\(CLI.binary)' status --json"

    @Test(
        "no PostgreSQL password reaches a job's environment, ps, or any log; the job still reaches its queue",
        .enabled(if: TestBackend.all.contains(.postgres)))
    func noPasswordForJobs() async throws {
        let cli = try await CLI(.postgres)
        let url = try Self.urlWithPassword(cli)
        let environment: [String: String?] = ["QUEUECTL_DB": url]
        try await cli.withWorkerScope {
            try await cli.run(["worker", "start"], environment: environment).expectSuccess()
            try await cli.run(["enqueue", "--id", "probe", "--command", Self.probe], environment: environment)
                .expectSuccess()
            try await cli.run(["wait", "probe", "--timeout", "90"], environment: environment, timeout: .seconds(150))
                .expectSuccess()
            let log = try await cli.run(["logs", "probe"], environment: environment)
            #expect(log.status == 0)
            #expect(!log.stdout.contains(Self.secret), "\(log.stdout)")
            // What the job was given: its queue without the password, and where the password is kept.
            let variables = Self.variables(in: log.stdout)
            #expect(variables["QUEUECTL_HOME"] == cli.home)
            let database = try #require(variables["QUEUECTL_DB"])
            #expect(database.hasPrefix("postgres://") && !database.contains(":\(Self.secret)"), "\(database)")
            let passwordFile = try #require(variables["QUEUECTL_DB_PASSWORD_FILE"])
            #expect(try String(contentsOfFile: passwordFile, encoding: .utf8) == Self.secret)
            var status = stat()
            #expect(stat(passwordFile, &status) == 0 && status.st_mode & 0o777 == 0o600)
            #expect(log.stdout.contains(#""pending""#), "the job's own queuectl status failed: \(log.stdout)")

            let workers = try await cli.run(["worker", "list", "--json"], environment: environment).jsonArray()
            let pid = try #require(workers.first?["pid"] as? Int)
            let daemonEnvironment = try #require(FileManager.default.contents(atPath: "/proc/\(pid)/environ"))
            #expect(!String(decoding: daemonEnvironment, as: UTF8.self).contains(Self.secret))
            try await cli.run(["worker", "stop"], environment: environment, timeout: .seconds(150)).expectSuccess()
            for directory in [cli.home + "/workers", cli.home + "/logs"] {
                for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".log") {
                    let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
                    #expect(!text.contains(Self.secret), "\(name): \(text)")
                }
            }
        }
    }

    @Test(
        "a foreground worker run started with the password in its environment does not pass it on to its jobs",
        .enabled(if: TestBackend.all.contains(.postgres)))
    func foregroundWorker() async throws {
        let cli = try await CLI(.postgres)
        let url = try Self.urlWithPassword(cli)
        let environment: [String: String?] = ["QUEUECTL_DB": url]
        try await cli.run(["enqueue", "--id", "probe", "--command", Self.probe], environment: environment).expectSuccess()
        let worker = try cli.startForeground(["worker", "run"], environment: ["QUEUECTL_DB": url])
        let finished = try await cli.run(["wait", "probe", "--timeout", "90"], environment: environment, timeout: .seconds(150))
        worker.process.terminate()
        #expect(try await eventually(timeout: .seconds(60)) { !worker.process.isRunning })
        finished.expectSuccess()
        let log = try await cli.run(["logs", "probe"], environment: environment)
        #expect(!log.stdout.contains(Self.secret), "\(log.stdout)")
        #expect(Self.variables(in: log.stdout)["QUEUECTL_DB_PASSWORD_FILE"] != nil, "\(log.stdout)")
        #expect(log.stdout.contains(#""pending""#), "the job's own queuectl status failed: \(log.stdout)")
    }

    @Test("a job gets its queue's home and store and its run's names, and not the dashboard's token", arguments: TestBackend.all)
    func variablesOfAJob(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let environment: [String: String?] = ["QUEUECTL_DASHBOARD_TOKEN": "DASHLEAKtoken"]
        try await cli.withWorkerScope {
            try await cli.run(["worker", "start"], environment: environment).expectSuccess()
            try await cli.run(["enqueue", "--id", "probe", "--command", Self.probe]).expectSuccess()
            try await cli.run(["wait", "probe", "--timeout", "90"], timeout: .seconds(150)).expectSuccess()
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
        let log = try await cli.run("logs", "probe")
        let variables = Self.variables(in: log.stdout)
        #expect(variables["QUEUECTL_HOME"] == cli.home)
        #expect(variables["QUEUECTL_DB"] != nil)
        #expect(variables["QUEUECTL_JOB_ID"] == "probe")
        #expect(variables["QUEUECTL_ATTEMPT"] == "1")
        #expect(variables["QUEUECTL_WORKER"] != nil)
        #expect(variables["QUEUECTL_DASHBOARD_TOKEN"] == nil)
        #expect(!log.stdout.contains("DASHLEAK"))
        #expect(log.stdout.contains(#""pending""#), "the job's own queuectl status failed: \(log.stdout)")
    }

    /// `NAME=value` lines of `env` output in a log.
    private static func variables(in log: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in log.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "="), line.first?.isLetter == true else { continue }
            let name = String(line[..<equals])
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { continue }
            result[name] = String(line[line.index(after: equals)...])
        }
        return result
    }
}
