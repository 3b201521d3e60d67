import Foundation
import QueueCore
import QueueTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Pointing a host at a PostgreSQL server that is down, silent, refusing or misnamed: one clear line,
/// exit 1, within 5 s, and never the password from the URL.
@Suite("Connecting hosts to PostgreSQL")
struct MultiHostConnectionTests {
    /// A TCP socket on 127.0.0.1 that listens but never answers (the kernel completes the handshake).
    private final class SilentServer: Sendable {
        let descriptor: Int32
        let port: Int

        init() throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                    bind(descriptor, generic, length) == 0 && listen(descriptor, 16) == 0
                        && getsockname(descriptor, generic, &length) == 0
                }
            }
            self.descriptor = descriptor
            port = Int(UInt16(bigEndian: address.sin_port))
            try #require(bound, "could not open a listening socket")
        }

        deinit { close(descriptor) }
    }

    /// A port on 127.0.0.1 that nothing listens on.
    private static func closedPort() throws -> Int {
        let server = try SilentServer()
        return server.port
    }

    private static let password = "s3cr3t-pa55"

    @Test("a server that refuses connections gives one line naming host and port, without the password")
    func refused() async throws {
        let cli = try await CLI(.sqlite)
        let port = try Self.closedPort()
        let started = ContinuousClock.now
        let result = try await cli.run(
            ["status"], environment: ["QUEUECTL_DB": "postgres://alice:\(Self.password)@127.0.0.1:\(port)/queue"])
        #expect(ContinuousClock.now - started < .seconds(5))
        result.expectError(status: 1, mentioning: ["127.0.0.1:\(port)", "connection refused"])
        #expect(!result.stderr.contains(Self.password))
    }

    @Test("a server that never answers gives up within 5 seconds with one line")
    func silent() async throws {
        let cli = try await CLI(.sqlite)
        let server = try SilentServer()
        // What the same command takes when its server refuses at once: starting the (debug) binaries, which a
        // loaded test machine can stretch past a second. The promise is about the wait for the server.
        let refusedStart = ContinuousClock.now
        _ = try await cli.run(["enqueue", "true", "--db", "postgres://alice@127.0.0.1:\(try Self.closedPort())/queue"])
        let startup = ContinuousClock.now - refusedStart
        let started = ContinuousClock.now
        let result = try await cli.run(
            ["enqueue", "true", "--db", "postgres://alice:\(Self.password)@127.0.0.1:\(server.port)/queue"])
        let elapsed = ContinuousClock.now - started
        #expect(elapsed - startup < .seconds(5), "took \(elapsed), of which starting up \(startup)")
        result.expectError(status: 1, mentioning: ["127.0.0.1:\(server.port)", "no answer"])
        #expect(!result.stderr.contains(Self.password))
        withExtendedLifetime(server) {}
    }

    @Test("a malformed PostgreSQL URL is a usage error that hides the password")
    func malformed() async throws {
        let cli = try await CLI(.sqlite)
        let result = try await cli.run(
            ["status", "--db", "postgres://alice:\(Self.password)@db.example:notaport/queue"])
        result.expectError(status: 2, mentioning: ["postgres://"])
        #expect(!result.stderr.contains(Self.password))
    }

    @Test(
        "a database that does not exist and a TLS demand the server cannot meet are one line each",
        .enabled(if: TestBackend.all.contains(.postgres)))
    func refusedByServer() async throws {
        let cli = try await CLI(.postgres)
        let server = try #require(URLComponents(string: cli.databaseURL))
        var missing = server
        missing.path = "/queuectl_no_such_database"
        let noDatabase = try await cli.run(["status"], environment: ["QUEUECTL_DB": missing.string])
        noDatabase.expectError(status: 1, mentioning: ["queuectl_no_such_database", "does not exist"])

        var tls = server
        tls.queryItems = [URLQueryItem(name: "sslmode", value: "require")]
        let noTLS = try await cli.run(["status"], environment: ["QUEUECTL_DB": tls.string])
        noTLS.expectError(status: 1, mentioning: ["TLS"])
    }

    @Test(
        "a postgresql:// URL reaches the same queue as postgres://",
        .enabled(if: TestBackend.all.contains(.postgres)))
    func schemeAlias() async throws {
        let cli = try await CLI(.postgres)
        #expect(try await cli.run("enqueue", "--command", "true", "--id", "via-alias").status == 0)
        let alias = "postgresql://" + cli.databaseURL.dropFirst("postgres://".count)
        let shown = try await cli.run(["show", "via-alias", "--json"], environment: ["QUEUECTL_DB": alias])
        shown.expectSuccess()
        #expect(try shown.jsonObject()["id"] as? String == "via-alias")
    }
}
