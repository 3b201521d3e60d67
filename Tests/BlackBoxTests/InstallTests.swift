import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `scripts/install.sh`, black-box: installs the binary under test (`--from` its build directory, the fast
/// path; the default path builds the static release first, too slow for a test) into a temp prefix.
/// The first run builds swift-argument-parser's man page generator (~30 s), later runs reuse it.
@Suite("install script")
struct InstallTests {
    /// The package's root folder.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Runs `bash scripts/install.sh arguments…` (outside the prefix's PATH) in `cli`'s directory.
    static func install(_ arguments: [String], in cli: CLI) async throws -> CLIResult {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("QUEUECTL_") }
        environment["HOME"] = cli.home
        return try await CLI.spawn(
            [root + "/scripts/install.sh"] + arguments, executable: "/bin/bash", environment: environment,
            in: cli.directory, timeout: .seconds(900))
    }

    /// Runs `program arguments…` with a plain environment in `cli`'s directory.
    static func run(_ program: String, _ arguments: [String], in cli: CLI) async throws -> CLIResult {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("QUEUECTL_") }
        environment["QUEUECTL_HOME"] = cli.home
        environment["MANPAGER"] = "cat"
        environment["PAGER"] = "cat"
        environment["MANWIDTH"] = "100"
        return try await CLI.spawn(arguments, executable: program, environment: environment, in: cli.directory, timeout: .seconds(60))
    }

    /// The first of `names` that the shell finds on PATH, if any.
    static func findProgram(_ names: [String], in cli: CLI) async throws -> String? {
        for name in names {
            let found = try await run("/bin/sh", ["-c", "command -v \"$0\"", name], in: cli)
            let path = found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if found.status == 0, path.hasPrefix("/") { return path }
        }
        return nil
    }

    @Test("installs the binary, completions for three shells and man pages into a prefix; twice is fine")
    func installIntoPrefix() async throws {
        let cli = try await CLI(.sqlite)
        let prefix = cli.directory.file("install prefix")  // a space, to prove the script quotes paths
        let buildDirectory = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().path

        let first = try await Self.install(["--prefix", prefix, "--from", buildDirectory], in: cli)
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("installed \(prefix)/bin/queuectl\n"), "\(first)")
        #expect(first.stdout.contains("not on your PATH"), "the prefix is not on PATH: \(first)")
        let again = try await Self.install(["--prefix", prefix, "--from", buildDirectory], in: cli)
        #expect(again.status == 0, "running it twice is fine: \(again)")
        #expect(again.lines == first.lines, "\(again)")

        let installed = try await Self.run(prefix + "/bin/queuectl", ["version"], in: cli)
        installed.expectSuccess()
        let built = try await cli.run("version")
        #expect(installed.stdout == built.stdout && installed.stdout.hasPrefix("queuectl "), "\(installed)")

        let completions = [
            "share/bash-completion/completions/queuectl", "share/zsh/site-functions/_queuectl",
            "share/fish/vendor_completions.d/queuectl.fish",
        ]
        for path in completions {
            let script = try #require(FileManager.default.contents(atPath: prefix + "/" + path), "\(path) exists")
            let text = String(decoding: script, as: UTF8.self)
            for word in ["queuectl", JobState.processing.rawValue, QueueConfig.Key.backoffBase.rawValue] {
                #expect(text.contains(word), "\(word) in \(path)")
            }
        }

        let man1 = prefix + "/share/man/man1"
        let page = try #require(FileManager.default.contents(atPath: man1 + "/queuectl.1"), "queuectl.1 exists")
        let source = String(decoding: page, as: UTF8.self)
        #expect(source.contains("enqueue") && source.contains("worker") && source.contains(".Sh"))
        #expect(FileManager.default.fileExists(atPath: man1 + "/queuectl.enqueue.1"), "a page per command")

        // Rendering needs man (or mandoc, or groff): checked with whichever is installed, skipped without.
        if let man = try await Self.findProgram(["man"], in: cli) {
            let rendered = try await Self.run(man, ["-l", man1 + "/queuectl.1"], in: cli)
            #expect(rendered.status == 0, "\(rendered)")
            #expect(rendered.stdout.contains("enqueue") && rendered.stdout.contains("worker start"), "\(rendered)")
            #expect(!rendered.stderr.contains("Empty input line"), "no mdoc warnings: \(rendered.stderr)")
        } else if let mandoc = try await Self.findProgram(["mandoc"], in: cli) {
            let rendered = try await Self.run(mandoc, ["-T", "utf8", man1 + "/queuectl.1"], in: cli)
            #expect(rendered.status == 0 && rendered.stdout.contains("enqueue"), "\(rendered)")
        } else if let groff = try await Self.findProgram(["groff"], in: cli) {
            let rendered = try await Self.run(groff, ["-mandoc", "-T", "utf8", man1 + "/queuectl.1"], in: cli)
            #expect(rendered.status == 0 && rendered.stdout.contains("enqueue"), "\(rendered)")
        }
    }

    @Test("a queuectl-server the build produced is installed beside queuectl; other executables are not")
    func installsSibling() async throws {
        let cli = try await CLI(.sqlite)
        let build = cli.directory.file("build")
        try FileManager.default.createDirectory(atPath: build, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: build + "/queuectl", withDestinationPath: CLI.binary)
        let server = "#!/bin/sh\necho queuectl-server stand-in\n"
        for name in ["queuectl-server", "queuectl-store-bench"] {
            try Data(server.utf8).write(to: URL(fileURLWithPath: build + "/" + name))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: build + "/" + name)
        }
        let prefix = cli.directory.file("prefix")

        let result = try await Self.install(["--prefix", prefix, "--from", build], in: cli)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("installed \(prefix)/bin/queuectl-server\n"), "\(result)")
        let installed = try await Self.run(prefix + "/bin/queuectl-server", [], in: cli)
        #expect(installed.status == 0 && installed.stdout == "queuectl-server stand-in\n", "\(installed)")
        #expect(!FileManager.default.fileExists(atPath: prefix + "/bin/queuectl-store-bench"), "a benchmark tool")
    }

    @Test("an unknown option exits 2 with one line and installs nothing")
    func unknownOption() async throws {
        let cli = try await CLI(.sqlite)
        let prefix = cli.directory.file("prefix")
        let result = try await Self.install(["--prefix", prefix, "--bogus"], in: cli)
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.errorLines.count == 1 && result.stderr.contains("'--bogus'"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: prefix), "nothing installed")

        let missing = try await Self.install(["--prefix", prefix, "--from", cli.directory.path], in: cli)
        #expect(missing.status == 2 && missing.errorLines.count == 1, "a build directory without queuectl: \(missing)")
        #expect(!FileManager.default.fileExists(atPath: prefix), "nothing installed")
    }
}
