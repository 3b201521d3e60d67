import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// A PostgreSQL URL's password never shows: not in any message, not in the process list.
@Suite("Password redaction")
struct SecretRedactionTests {
    private static let secret = "Zq9LEAKsecret"

    /// Store values a user might type (or mistype) that carry the secret, and the exit status each gets.
    static let leakyStores: [(value: String, status: Int32)] = [
        ("postgres://app:\(secret)@127.0.0.1:1/queue?password=\(secret)", 2),
        ("postgres://app@127.0.0.1:1/queue?password=\(secret)", 2),
        ("postgres://app:\(secret)@db.example:notaport/queue", 2),
        ("postgres://app:\(secret)@127.0.0.1:1/queue?sslmode=\(secret)", 2),
        ("postgres://app:\(secret)@127.0.0.1:1/queue?\(secret)=1", 2),
        ("postgres://app:Zq9?\(secret)@127.0.0.1:1/queue", 1),
        ("postgres://app:8841/\(secret)@127.0.0.1:1/queue", 1),
        ("postgres://app:p#\(secret)@@127.0.0.1:1/queue", 1),
        ("postgres:/app:\(secret)@127.0.0.1/queue", 2),
        ("postgres//app:\(secret)@127.0.0.1/queue", 2),
        ("app:\(secret)@127.0.0.1/queue", 2),
        ("mysql://app:\(secret)@127.0.0.1/queue", 2),
        ("file://app:\(secret)@host/queue.db", 2),
    ]

    @Test("no message shows the password of a store URL, however it is mistyped", arguments: leakyStores)
    func messages(value: String, status: Int32) async throws {
        let cli = try await CLI(.sqlite)
        for result in [
            try await cli.run(["status", "--db", value]),
            try await cli.run(["enqueue", "true"], environment: ["QUEUECTL_DB": value]),
        ] {
            result.expectError(status: status)
            #expect(!result.stderr.contains("LEAK"), "\(result)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).allSatisfy { !$0.contains("LEAK") })
    }

    @Test("the host a refused connection names is the one after the last '@', never a piece of the password")
    func hostAfterLastAt() async throws {
        let cli = try await CLI(.sqlite)
        let result = try await cli.run(["status", "--db", "postgres://app:8841/\(Self.secret)@127.0.0.1:1/queue"])
        result.expectError(status: 1, mentioning: ["127.0.0.1:1"])
        #expect(!result.stderr.contains("8841") && !result.stderr.contains("LEAK"), "\(result)")
    }

    @Test("a stray argument holding a URL is not echoed with its password")
    func strayArgument() async throws {
        let cli = try await CLI(.sqlite)
        for stray in ["postgres://u:\(Self.secret)@h/db", "u:\(Self.secret)@h/db", "postgres:/u:\(Self.secret)@h/db"] {
            let result = try await cli.run("status", stray)
            result.expectError(status: 2, mentioning: ["unexpected argument"])
            #expect(!result.stderr.contains("LEAK"), "\(result)")
        }
        let quoted = try await cli.run(["enqueue", "curl", "https://u:\(Self.secret)@example.com/x"])
        quoted.expectError(status: 2, mentioning: ["one argument"])
        #expect(!quoted.stderr.contains("LEAK"), "\(quoted)")
    }

    @Test(
        "worker start hands the store to its daemon in the environment, never in argv",
        .enabled(if: TestBackend.all.contains(.postgres)))
    func daemonArguments() async throws {
        let cli = try await CLI(.postgres)
        // The test server trusts every login, so a password in the URL is accepted and ignored.
        var components = try #require(URLComponents(string: cli.databaseURL))
        components.password = Self.secret
        let url = try #require(components.string)
        try await cli.withWorkerScope {
            let start = try await cli.run(["worker", "start"], environment: ["QUEUECTL_DB": url])
            start.expectSuccess()
            #expect(!start.stdout.contains("LEAK"))
            let workers = try await cli.run(["worker", "list", "--json"], environment: ["QUEUECTL_DB": url]).jsonArray()
            let pid = try #require(workers.first?["pid"] as? Int)
            let argv = try #require(FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"))
            let text = String(decoding: argv, as: UTF8.self)
            #expect(text.contains("worker") && !text.contains("LEAK") && !text.contains("postgres://"), "\(text)")
            try await cli.run(["worker", "stop"], environment: ["QUEUECTL_DB": url], timeout: .seconds(150)).expectSuccess()
            let logs = try FileManager.default.contentsOfDirectory(atPath: cli.home + "/workers")
            for name in logs where name.hasSuffix(".log") {
                let log = try String(contentsOfFile: cli.home + "/workers/" + name, encoding: .utf8)
                #expect(!log.contains("LEAK"), "\(name): \(log)")
            }
        }
    }

    @Test("worker start on SQLite passes the database in the environment too")
    func daemonArgumentsSQLite() async throws {
        let cli = try await CLI(.sqlite)
        try await cli.withWorkerScope {
            try await cli.run("worker", "start").expectSuccess()
            let workers = try await cli.run("worker", "list", "--json").jsonArray()
            let pid = try #require(workers.first?["pid"] as? Int)
            let argv = try #require(FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"))
            let arguments = argv.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            #expect(arguments.contains("run") && !arguments.contains("--db"), "\(arguments)")
            try await cli.run("enqueue", "--id", "via-env", "true").expectSuccess()
            try await cli.run(["wait", "via-env", "--timeout", "90"], timeout: .seconds(150)).expectSuccess()
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }
}
