import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Two "hosts" sharing one PostgreSQL database: each has its own data directory (`QUEUECTL_HOME`) and
/// host name (`QUEUECTL_HOSTNAME`), as two machines pointed at one server would. `with(_:)` always
/// stops both hosts' workers afterwards, killing any that do not stop, even when the test fails.
struct TwoHosts: Sendable {
    /// The CLI of host 0 (its home and the shared database).
    let cli: CLI
    /// The data directory of each host.
    let homes: [String]
    /// The host name of each host.
    let names = ["qc-host-a", "qc-host-b"]

    /// A path in the test's scratch directory (shared by both hosts, like an NFS mount).
    func file(_ name: String) -> String { cli.directory.file(name) }

    /// Runs `queuectl arguments…` as host `host` would (`standardOutput`: into that file, which must exist,
    /// so a test can read what a running command has printed so far).
    func run(
        host: Int, _ arguments: [String], timeout: Duration = .seconds(60), standardOutput: String? = nil
    ) async throws -> CLIResult {
        try await cli.run(
            arguments, environment: ["QUEUECTL_HOME": homes[host], "QUEUECTL_HOSTNAME": names[host]],
            timeout: timeout, standardOutput: standardOutput)
    }

    /// Starts `count` workers on host `host` and checks that it worked.
    func startWorkers(host: Int, count: Int) async throws {
        let result = try await run(host: host, ["worker", "start", "--count", "\(count)"])
        #expect(result.status == 0, "\(result)")
    }

    /// The shared queue's counts (`status --json`).
    func counts() async throws -> [String: Int] {
        let result = try await run(host: 0, ["status", "--json"])
        guard result.status == 0 else { return [:] }
        return (try result.jsonObject()).compactMapValues { $0 as? Int }
    }

    /// Runs `body` with two fresh hosts on a fresh database, then stops their workers.
    static func with(_ body: (TwoHosts) async throws -> Void) async throws {
        let cli = try await CLI(.postgres)
        let hosts = TwoHosts(cli: cli, homes: [cli.home, cli.directory.file("home-b")])
        do {
            try await body(hosts)
        } catch {
            await hosts.tearDown()
            throw error
        }
        await hosts.tearDown()
    }

    /// Stops both hosts' workers (killing jobs after 5 s), then kills any daemon still registered.
    private func tearDown() async {
        for host in 0..<2 { _ = try? await run(host: host, ["worker", "stop", "--timeout", "5"]) }
        guard let store = try? await cli.openStore(), let rows = try? await store.workers() else { return }
        for pid in Set(rows.map(\.pid)) where pid > 1 { _ = kill(pid, SIGKILL) }
    }
}
