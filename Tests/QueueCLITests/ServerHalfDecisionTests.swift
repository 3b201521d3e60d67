import ArgumentParser
import Testing

@testable import QueueCLI

/// Which commands the lean `queuectl` hands over to `queuectl-server` (`QueueCtl.needsServerHalf`).
@Suite("Which commands need the server half")
struct ServerHalfDecisionTests {
    @Test(
        "the dashboard and every command on a PostgreSQL store need it; commands on SQLite do not",
        arguments: [
            (["status", "--db", "postgres://u@db.example/q"], [:], true),
            (["enqueue", "--command", "true", "--db=postgresql://u@db.example/q"], [:], true),
            (["worker", "run"], ["QUEUECTL_DB": "postgres://u@db.example/q"], true),
            (["dlq", "retry", "--all"], ["QUEUECTL_DB": "POSTGRES://u@db.example/q"], true),
            (["dashboard"], [:], true),
            (["dashboard", "--db", "/tmp/queue.db"], [:], true),
            (["status"], [:], false),
            (["worker", "start", "--db", "/tmp/queue.db"], ["QUEUECTL_DB": "postgres://u@db.example/q"], false),
            (["list"], ["QUEUECTL_DB": "file:///tmp/queue.db"], false),
            (["show", "abc"], ["QUEUECTL_DB": "mysql://u@db.example/q"], false),
        ] as [([String], [String: String], Bool)])
    func decision(arguments: [String], environment: [String: String], expected: Bool) throws {
        let command = try QueueCtl.parseAsRoot(arguments)
        #expect(QueueCtl.needsServerHalf(command, environment: environment) == expected)
    }

    @Test("every command carries the global options the decision reads")
    func everyCommandHasGlobalOptions() {
        func leaves(_ command: any ParsableCommand.Type) -> [any ParsableCommand.Type] {
            let children = command.configuration.subcommands
            return children.isEmpty ? [command] : children.flatMap(leaves)
        }
        let commands = leaves(QueueCtl.self)
        #expect(commands.count > 10)
        for command in commands {
            #expect(QueueCtl.globalOptions(of: command.init()) != nil, "\(command._commandName)")
        }
    }
}
