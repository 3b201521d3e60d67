import Foundation
import QueueTestSupport
import Testing

@Suite("help, version and completion")
struct HelpTests {
    static let commands: [[String]] = [
        [], ["enqueue"], ["status"], ["list"], ["show"], ["dlq"], ["dlq", "list"], ["dlq", "retry"], ["config"],
        ["config", "list"], ["config", "get"], ["config", "set"], ["version"], ["completions"],
    ]

    @Test("--help exits 0 with usage and an example", arguments: commands)
    func help(command: [String]) async throws {
        let cli = try await CLI(.sqlite)
        let result = try await cli.run(command + ["--help"])
        result.expectSuccess()
        #expect(result.stdout.contains("USAGE: queuectl"))
        #expect(result.stdout.contains("Example:"))
        if !["", "dlq", "config"].contains(command.joined(separator: " ")) {
            #expect(result.stdout.contains("--home") && result.stdout.contains("--db"))
        }
        #expect(!FileManager.default.fileExists(atPath: cli.home), "help touches no data")
    }

    @Test("help COMMAND prints that command's help")
    func helpCommand() async throws {
        let cli = try await CLI(.sqlite)
        let result = try await cli.run("help", "dlq", "retry")
        result.expectSuccess()
        #expect(result.stdout.contains("USAGE: queuectl dlq retry"))
    }

    @Test("--version and version print the version")
    func version() async throws {
        let cli = try await CLI(.sqlite)
        for arguments in [["--version"], ["version"]] {
            let result = try await cli.run(arguments)
            result.expectSuccess()
            #expect(result.stdout.wholeMatch(of: /queuectl \d+\.\d+\.\d+\n/) != nil, "\(result)")
        }
    }

    @Test("completion scripts are generated for bash, zsh and fish", arguments: ["bash", "zsh", "fish"])
    func completion(shell: String) async throws {
        let cli = try await CLI(.sqlite)
        let result = try await cli.run("--generate-completion-script", shell)
        result.expectSuccess()
        #expect(result.stdout.contains("enqueue") && result.stdout.contains("dlq"))
    }

    @Test("a completion script for an unknown shell exits 2 with one readable line")
    func completionForUnknownShell() async throws {
        let cli = try await CLI(.sqlite)
        let result = try await cli.run("--generate-completion-script", "tcsh")
        result.expectError(status: 2, mentioning: ["'tcsh'", "bash", "zsh", "fish"])
        #expect(!result.stderr.contains("\\n"), "\(result)")
    }

    @Test("help of an unknown command exits 2 with one line")
    func helpUnknownCommand() async throws {
        let cli = try await CLI(.sqlite)
        try await cli.run("help", "nonexistent").expectError(status: 2, mentioning: ["'nonexistent'"])
        try await cli.run("help", "dlq", "purge").expectError(status: 2, mentioning: ["'purge'", "queuectl dlq --help"])
        let known = try await cli.run("help", "worker", "start")
        known.expectSuccess()
        #expect(known.stdout.contains("USAGE: queuectl worker start"))
    }

    @Test("an unknown command or option exits 2 with one line, not a usage block")
    func unknownCommand() async throws {
        let cli = try await CLI(.sqlite)
        try await cli.run("frobnicate").expectError(status: 2, mentioning: ["frobnicate"])
        try await cli.run("status", "--verbose").expectError(status: 2, mentioning: ["--verbose", "queuectl status --help"])
        try await cli.run("dlq", "purge").expectError(status: 2, mentioning: ["purge"])
        try await cli.run("--home", cli.home, "status").expectError(status: 2, mentioning: ["after the command word"])
    }
}
