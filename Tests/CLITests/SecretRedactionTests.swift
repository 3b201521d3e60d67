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
}
