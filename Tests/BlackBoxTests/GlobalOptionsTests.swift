import Foundation
import QueueTestSupport
import Testing

@Suite("--home, --db and their environment variables")
struct GlobalOptionsTests {
    @Test("--home after the command word puts the data directory there (mode 0700)")
    func homeOption() async throws {
        let cli = try await CLI(.sqlite)
        let home = cli.directory.file("elsewhere")
        let result = try await cli.run(["enqueue", "--home", home, "--id", "h1", "--command", "true"], environment: ["QUEUECTL_DB": nil])
        result.expectSuccess()
        #expect(FileManager.default.fileExists(atPath: home + "/queue.db"))
        #expect(FileManager.default.fileExists(atPath: home + "/logs"))
        let mode = try FileManager.default.attributesOfItem(atPath: home)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        let shown = try await cli.run(["status", "--home", home, "--json"], environment: ["QUEUECTL_DB": nil])
        #expect(shown.stdout.contains(#""pending":1"#))
        let other = try await cli.run(["status", "--json"], environment: ["QUEUECTL_DB": nil])
        #expect(other.stdout.contains(#""pending":0"#), "QUEUECTL_HOME names another, empty home")
    }

    @Test("QUEUECTL_HOME names the data directory")
    func homeEnvironment() async throws {
        let cli = try await CLI(.sqlite)
        let home = cli.directory.file("from-env")
        try await cli.run(["enqueue", "true"], environment: ["QUEUECTL_DB": nil, "QUEUECTL_HOME": home]).expectSuccess()
        #expect(FileManager.default.fileExists(atPath: home + "/queue.db"))
        let status = try await cli.run(["status", "--json"], environment: ["QUEUECTL_DB": nil, "QUEUECTL_HOME": home])
        #expect(status.stdout.contains(#""pending":1"#))
    }

    @Test("--db and QUEUECTL_DB pick the SQLite file; --db wins")
    func databasePath() async throws {
        let cli = try await CLI(.sqlite)
        let first = cli.directory.file("first.db")
        let second = cli.directory.file("second.db")
        try await cli.run(["enqueue", "--db", first, "true"]).expectSuccess()
        try await cli.run(["enqueue", "true"], environment: ["QUEUECTL_DB": second]).expectSuccess()
        try await cli.run(["enqueue", "true", "--db", second], environment: ["QUEUECTL_DB": first]).expectSuccess()
        #expect(try await cli.run(["status", "--json", "--db", first]).stdout.contains(#""pending":1"#))
        #expect(try await cli.run(["status", "--json"], environment: ["QUEUECTL_DB": second]).stdout.contains(#""pending":2"#))
        let relative = try await cli.run(["enqueue", "--db", "relative.db", "true"])
        relative.expectSuccess()
        #expect(FileManager.default.fileExists(atPath: cli.directory.file("relative.db")))
    }

    @Test("a postgres:// store this build cannot reach exits 1 with one line")
    func postgresUnavailable() async throws {
        let cli = try await CLI(.sqlite)
        let result = try await cli.run(["status", "--db", "postgres://nobody:secret@127.0.0.1:1/none"])
        result.expectError(status: 1)
    }

    @Test("an unknown store scheme exits 2 naming it")
    func unknownScheme() async throws {
        let cli = try await CLI(.sqlite)
        try await cli.run(["status", "--db", "mysql://localhost/q"]).expectError(status: 2, mentioning: ["mysql://"])
        try await cli.run(["status"], environment: ["QUEUECTL_DB": "redis://x"]).expectError(status: 2, mentioning: ["redis://"])
    }

    @Test("a database that cannot be opened exits 1 with one line")
    func unopenableDatabase() async throws {
        let cli = try await CLI(.sqlite)
        let notADatabase = cli.directory.file("garbage.db")
        try String(repeating: "not sqlite ", count: 400).write(toFile: notADatabase, atomically: true, encoding: .utf8)
        try await cli.run(["status", "--db", notADatabase]).expectError(status: 1, mentioning: ["garbage.db"])
        // A store in a directory that does not exist: a write fails; a read creates nothing and finds no jobs.
        try await cli.run(["enqueue", "true", "--db", cli.directory.file("missing-dir/q.db")]).expectError(status: 1)
        try await cli.run(["status", "--db", cli.directory.file("missing-dir/q.db")]).expectSuccess()
        #expect(!FileManager.default.fileExists(atPath: cli.directory.file("missing-dir")))
    }

    /// Every command that opens the store, with arguments that let it run to the end quickly.
    static let storeCommands: [[String]] = [
        ["enqueue", "true"], ["status"], ["list"], ["show", "x"], ["logs", "x"], ["wait", "x", "--timeout", "0"],
        ["dlq", "list"], ["dlq", "retry", "--all"], ["config", "list"], ["config", "get", "max_retries"],
        ["config", "set", "max_retries", "4"], ["worker", "list"], ["worker", "stop"],
    ]

    /// The commands of `storeCommands` that only read: they create no store, so the test gives them one.
    static let readOnlyCommands: Set<[String]> = [
        ["status"], ["list"], ["show", "x"], ["logs", "x"], ["wait", "x", "--timeout", "0"], ["dlq", "list"],
        ["config", "list"], ["config", "get", "max_retries"], ["worker", "list"],
    ]

    @Test("--home and --db are honoured by every command", arguments: storeCommands)
    func optionsOnEveryCommand(command: [String]) async throws {
        let cli = try await CLI(.sqlite)
        let decoyHome = cli.directory.file("decoy-home")
        let decoyDatabase = cli.directory.file("decoy.db")
        let home = cli.directory.file("home-option")
        let database = cli.directory.file("db-option.db")
        let reads = Self.readOnlyCommands.contains(command)
        if reads {
            // A read-only command creates nothing: give it a store holding job "x", which only the right one has.
            try await cli.run(["enqueue", "--id", "x", "true", "--home", home], environment: ["QUEUECTL_DB": nil]).expectSuccess()
            try await cli.run(["enqueue", "--id", "x", "true", "--db", database]).expectSuccess()
        }
        func expectRan(_ result: CLIResult) {
            if command.first == "wait" && reads {
                // "x" is pending: the wait times out, but it found the job.
                #expect(!result.stderr.contains("no job"), "\(result)")
            } else if reads {
                #expect(result.status == 0, "\(result)")
            } else if command.contains("x") {
                // show/logs/wait of the unknown job "x" fail after opening the store; everything else succeeds.
                result.expectError(status: 1, mentioning: ["'x'"])
            } else {
                result.expectSuccess()
            }
        }
        expectRan(try await cli.run(command + ["--home", home], environment: ["QUEUECTL_HOME": decoyHome, "QUEUECTL_DB": nil]))
        #expect(FileManager.default.fileExists(atPath: home + "/queue.db"), "--home names the data directory")

        expectRan(try await cli.run(command + ["--db", database], environment: ["QUEUECTL_DB": decoyDatabase]))
        #expect(FileManager.default.fileExists(atPath: database), "--db names the store")

        #expect(!FileManager.default.fileExists(atPath: decoyHome) && !FileManager.default.fileExists(atPath: decoyDatabase))
    }

    @Test("version accepts --home and --db and touches nothing")
    func versionOptions() async throws {
        let cli = try await CLI(.sqlite)
        let home = cli.directory.file("unused")
        try await cli.run("version", "--home", home, "--db", cli.directory.file("unused.db")).expectSuccess()
        #expect(!FileManager.default.fileExists(atPath: home))
    }

    @Test("a new home is 0700 and its queue.db 0600")
    func fileModes() async throws {
        let cli = try await CLI(.sqlite)
        try await cli.run(["enqueue", "true"], environment: ["QUEUECTL_DB": nil]).expectSuccess()
        let home = try FileManager.default.attributesOfItem(atPath: cli.home)[.posixPermissions] as? Int
        let database = try FileManager.default.attributesOfItem(atPath: cli.home + "/queue.db")[.posixPermissions] as? Int
        #expect(home == 0o700)
        #expect(database == 0o600)
    }

    @Test("file:// URLs must name a local file: a host is exit 2 and nothing is created")
    func fileURLs() async throws {
        let cli = try await CLI(.sqlite)
        let path = cli.directory.file("via-url.db")
        try await cli.run(["enqueue", "true", "--db", "file://" + path]).expectSuccess()
        try await cli.run(["enqueue", "true", "--db", "file://localhost" + path]).expectSuccess()
        #expect(try await cli.run(["status", "--json", "--db", path]).stdout.contains(#""pending":2"#))
        // Read as a URL, file://relative/NAME names the host "relative" and the file /NAME.
        let name = "queuectl-test-\(UUID().uuidString.lowercased()).db"
        try await cli.run(["status", "--db", "file://relative/" + name]).expectError(status: 2, mentioning: ["'relative'", "file:///"])
        try await cli.run(["status", "--db", "file://" + path + "?mode=ro"]).expectError(status: 2, mentioning: ["query"])
        #expect(!FileManager.default.fileExists(atPath: "/" + name))
    }

    @Test("a home under a regular file exits 1 naming the file that is in the way")
    func homeUnderAFile() async throws {
        let cli = try await CLI(.sqlite)
        let file = cli.directory.file("plain")
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        try await cli.run(["status", "--home", file + "/sub"], environment: ["QUEUECTL_DB": nil])
            .expectError(status: 1, mentioning: ["'\(file)'", "not a directory"])
        try await cli.run(["status", "--home", file], environment: ["QUEUECTL_DB": nil])
            .expectError(status: 1, mentioning: ["not a directory"])
    }
}
