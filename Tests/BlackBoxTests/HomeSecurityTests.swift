import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// A data directory is used only if it is the user's own: another local account cannot plant jobs, a database or
/// symbolic links in it. Read-only commands never create one.
@Suite("Data directory ownership and read-only commands")
struct HomeSecurityTests {
    /// A directory every account may create entries in (like /tmp), inside the test's own directory.
    private static func sharedDirectory(_ cli: CLI) throws -> String {
        #expect(chmod(cli.directory.path, 0o711) == 0)
        let shared = cli.directory.file("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        #expect(chmod(shared, 0o1777) == 0)
        return shared
    }

    /// Runs `command` with `/bin/sh -c` as the account `nobody` (the tests run as root).
    private static func asNobody(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        process.arguments = ["-u", "nobody", "--", "/bin/sh", "-c", command]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test("a home another account made, with a planted job, is refused by every command with one line", arguments: TestBackend.all)
    func foreignHome(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let home = try Self.sharedDirectory(cli) + "/home"
        // What the attacker prepares: a world-writable home, a log directory, and a log file linked elsewhere.
        #expect(try Self.asNobody("umask 0; mkdir -p \(home)/logs \(home)/workers && ln -s /etc/passwd \(home)/logs/x.log") == 0)
        let environment: [String: String?] = ["QUEUECTL_HOME": home]
        for arguments in [["status"], ["enqueue", "--id", "x", "true"], ["worker", "start"], ["list"], ["show", "x"]] {
            let result = try await cli.run(arguments, environment: environment)
            result.expectError(status: 1, mentioning: ["refusing data directory '\(home)'", "belongs to nobody", "of your own"])
        }
        #expect(!FileManager.default.fileExists(atPath: home + "/queue.db"))
        #expect(try await cli.run(["worker", "list", "--json"]).jsonArray().isEmpty)
    }

    @Test("a home, logs/, workers/ or queue.db that others can write to or that belongs to another account is refused")
    func writableParts() async throws {
        let cli = try await CLI(.sqlite)
        let environment: [String: String?] = ["QUEUECTL_DB": nil]
        try await cli.run(["enqueue", "--id", "mine", "true"], environment: environment).expectSuccess()
        let nobody = try #require(getpwnam("nobody")?.pointee.pw_uid)
        let ownedByNobody = { (path: String) in chown(path, nobody, UInt32.max) }
        for (part, damage, fix) in [
            ("", { (path: String) in chmod(path, 0o777) }, "chmod go-w"), ("/logs", { chmod($0, 0o770) }, "chmod go-w"),
            ("/workers", { chmod($0, 0o757) }, "chmod go-w"), ("/queue.db", { chmod($0, 0o666) }, "chmod go-w"),
            ("/queue.db", ownedByNobody, "belongs to nobody"), ("/logs", ownedByNobody, "belongs to nobody"),
        ] as [(String, (String) -> Int32, String)] {
            let path = cli.home + part
            var before = stat()
            #expect(stat(path, &before) == 0)
            #expect(damage(path) == 0)
            let result = try await cli.run(["status"], environment: environment)
            result.expectError(status: 1, mentioning: ["refusing", path, part == "" ? "mode 777" : "in the data directory", fix])
            #expect(chmod(path, before.st_mode & 0o7777) == 0 && chown(path, before.st_uid, before.st_gid) == 0)
            try await cli.run(["status"], environment: environment).expectSuccess()
        }
    }

    @Test("a symbolic link in place of a job's log is not written through: the run fails and says why", arguments: TestBackend.all)
    func symlinkedLog(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.run(["enqueue", "--id", "linked", "--max-retries", "0", "--command", "echo victim-output"]).expectSuccess()
        let target = cli.directory.file("target")
        #expect(FileManager.default.createFile(atPath: target, contents: nil))
        try FileManager.default.createDirectory(atPath: cli.home + "/logs", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: cli.home + "/logs/linked.log", withDestinationPath: target)
        try await cli.withWorkerScope {
            try await cli.run("worker", "start").expectSuccess()
            let waited = try await cli.run(["wait", "linked", "--timeout", "90"], timeout: .seconds(150))
            #expect(waited.status == 1, "\(waited)")
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8).isEmpty, "the run wrote through the link")
        let job = try await cli.run("show", "linked", "--json").jsonObject()
        #expect(job["state"] as? String == "dead")
        #expect((job["last_error"] as? String)?.contains("symbolic link") == true, "\(job)")
    }

    @Test("read-only commands on a home that does not exist answer as for an empty queue and create nothing", arguments: TestBackend.all)
    func readOnlyCommandsCreateNothing(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let typo = cli.directory.file("typo")
        let home = typo + "/deeper/home"
        // On SQLite the store is the home's own queue.db.
        let environment: [String: String?] = backend == .sqlite ? ["QUEUECTL_DB": nil] : [:]
        let status = try await cli.run(["status", "--json", "--home", home], environment: environment)
        status.expectSuccess()
        let counts = try status.jsonObject()
        #expect(counts.values.allSatisfy { ($0 as? Int) == 0 }, "\(counts)")
        for arguments in [
            ["list"], ["list", "--json"], ["dlq", "list"], ["config", "list"], ["config", "get", "max_retries"],
            ["worker", "list"], ["status"],
        ] {
            let result = try await cli.run(arguments + ["--home", home], environment: environment)
            #expect(result.status == 0, "\(arguments): \(result)")
        }
        for arguments in [["show", "nope"], ["logs", "nope"], ["wait", "nope", "--timeout", "1"]] {
            let result = try await cli.run(arguments + ["--home", home], environment: environment)
            result.expectError(status: 1, mentioning: ["nope"])
        }
        #expect(!FileManager.default.fileExists(atPath: typo), "a read-only command created \(typo)")

        // A home that exists (made by a worker on another store, say) gains no database either.
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try await cli.run(["status", "--home", home], environment: environment).expectSuccess()
        #expect(try FileManager.default.contentsOfDirectory(atPath: home).isEmpty)
    }

    @Test("an empty QUEUECTL_HOME or --home is a usage error, one line, exit 2, and nothing is created")
    func emptyHome() async throws {
        let cli = try await CLI(.sqlite)
        let userHome = cli.directory.file("user")
        for (arguments, environment) in [
            (["status"], ["QUEUECTL_HOME": "", "HOME": userHome, "QUEUECTL_DB": nil]),
            (["enqueue", "true"], ["QUEUECTL_HOME": "", "HOME": userHome, "QUEUECTL_DB": nil]),
            (["status", "--home", ""], ["HOME": userHome, "QUEUECTL_DB": nil]),
        ] as [([String], [String: String?])] {
            let result = try await cli.run(arguments, environment: environment)
            result.expectError(status: 2, mentioning: [arguments.contains("--home") ? "--home is empty" : "QUEUECTL_HOME is set but empty"])
        }
        #expect(!FileManager.default.fileExists(atPath: userHome))
    }
}
