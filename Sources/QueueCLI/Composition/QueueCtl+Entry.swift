import ArgumentParser
import Foundation
import QueueCore
import QueueFormatting

extension QueueCtl {
    /// The prefix of every error and warning line.
    static let errorPrefix = "queuectl: "

    /// Runs the process: parses `CommandLine.arguments`, runs the command (with `serverHalf` for the
    /// PostgreSQL store and the dashboard), exits with its status.
    static func runProcess(serverHalf: any ServerHalf) async -> Never {
        // A closed pipe (`queuectl list | head -1`) must end the output quietly, not kill us with a signal.
        signal(SIGPIPE, SIG_IGN)
        let status = await main(arguments: Array(CommandLine.arguments.dropFirst()), context: .process(serverHalf: serverHalf))
        Foundation.exit(status)
    }

    /// Parses `arguments`, runs the command in `context`, and returns the exit status. Every error ends
    /// here: usage errors (argument-parser's, `ValidationError`, `QueueError.isUsage`) print one line
    /// on stderr and return 2; other failures print one line and return 1; help, `--version` and
    /// completion scripts print to stdout and return 0. A command that needs the server half gets it
    /// (`ServerHalf.handOver()`) after parsing and before it runs.
    public static func main(arguments: [String], context: CommandContext) async -> Int32 {
        await CommandContext.$current.withValue(context) {
            do {
                try checkHelpTopic(arguments)
                try checkCommandWords(arguments)
                var command = try await asyncParseAsRoot(arguments)
                if needsServerHalf(command, environment: context.environment) {
                    try context.serverHalf.handOver()
                }
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
                return checkedOutput(context: context)
            } catch {
                return report(error, arguments: arguments, context: context)
            }
        }
    }

    /// Whether `command` needs the server half: `dashboard`, and every command on a PostgreSQL store (`--db`,
    /// else `QUEUECTL_DB`). Decided here, before the command runs, because the lean executable hands over by
    /// replacing itself: later, `enqueue -` would already have read stdin. Every command carries
    /// `@OptionGroup var global: GlobalOptions`; it is found by reflection so that a command added later is
    /// covered without a word. A store value that does not parse is left to the command to report.
    static func needsServerHalf(_ command: any ParsableCommand, environment: [String: String]) -> Bool {
        if command is Dashboard { return true }
        guard let global = globalOptions(of: command)?.wrappedValue,
            case .postgres? = try? StoreLocation(option: global.db, environment: environment)
        else { return false }
        return true
    }

    /// The `@OptionGroup var global: GlobalOptions` of `command`, if it has one.
    static func globalOptions(of command: any ParsableCommand) -> OptionGroup<GlobalOptions>? {
        Mirror(reflecting: command).children.lazy.compactMap { $0.value as? OptionGroup<GlobalOptions> }.first
    }

    /// Prints `error` the contract's way and returns its exit status.
    static func report(_ error: any Error, arguments: [String], context: CommandContext) -> Int32 {
        if let queueError = error as? QueueError {
            fail(queueError.description, context: context)
            return queueError.exitCode
        }
        if let exitCode = error as? ExitCode {
            return exitCode.rawValue
        }
        let exitCode = Self.exitCode(for: error)
        if exitCode == .success {
            let text = fullMessage(for: error, columns: context.terminal.columns)
            context.standardOutput.write(text.hasSuffix("\n") ? text : text + "\n")
            return checkedOutput(context: context)
        }
        // argument-parser wraps some messages over several lines ("Can't generate completion scripts for
        // 'tcsh'.\nPlease use … with one of:\n    bash zsh fish"): join them into one.
        let message = Self.message(for: error)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
        if exitCode == .validationFailure {
            let subcommands = commandPath(arguments)
            let path = (["queuectl"] + subcommands).joined(separator: " ")
            let text = message.isEmpty ? "invalid arguments" : message
            // `queuectl --home DIR status`: the options belong after the command word.
            let hint =
                subcommands.isEmpty && ["--home", "--db"].contains { arguments.first?.hasPrefix($0) == true }
                ? "options go after the command word, e.g. queuectl status --home DIR; see 'queuectl --help'"
                : "see '\(path) --help'"
            fail("\(lowercasedFirst(text)) (\(hint))", context: context)
            return 2
        }
        fail(message.isEmpty ? "\(error)" : message, context: context)
        return 1
    }

    /// 0, or 1 after one error line when a write to stdout failed (a full disk, `>/dev/full`): output
    /// that never arrived is not a success.
    private static func checkedOutput(context: CommandContext) -> Int32 {
        guard let reason = context.standardOutput.failure() else { return 0 }
        fail("cannot write the output to stdout: \(reason)", context: context)
        return 1
    }

    /// `help WORD…` must name a command: argument-parser shows the root help for an unknown one and exits 0.
    private static func checkHelpTopic(_ arguments: [String]) throws(QueueError) {
        guard arguments.first == "help" else { return }
        let words = arguments.dropFirst().filter { !$0.hasPrefix("-") }
        let known = commandPath(words)
        guard known.count < words.count else { return }
        let path = (["queuectl"] + known).joined(separator: " ")
        throw .invalidInput("no such command '\(words[known.count])' (see '\(path) --help' for the commands)")
    }

    /// Writes one error line to stderr.
    static func fail(_ message: String, context: CommandContext) {
        context.standardError.write(errorPrefix + stderrText(message) + "\n")
    }

    /// `message` as it may appear on stderr: every credential a store URL may hold masked (also in text
    /// that is not a well-formed URL, such as a misspelled scheme or a stray argument), control characters
    /// made visible, and one line. Every error and warning line goes through here.
    static func stderrText(_ message: String) -> String {
        VisibleText.singleLine(PostgresURL.redact(message))
    }

    /// The subcommand words at the start of `arguments` (`["dlq", "retry"]`), for the help hint.
    static func commandPath(_ arguments: [String]) -> [String] {
        var path: [String] = []
        var candidates = configuration.subcommands
        for argument in arguments {
            guard
                let match = candidates.first(where: {
                    $0._commandName == argument || $0.configuration.aliases.contains(argument)
                })
            else { break }
            path.append(match._commandName)
            candidates = match.configuration.subcommands
        }
        return path
    }

    private static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first, first.isUppercase, text.dropFirst().first?.isUppercase != true else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
