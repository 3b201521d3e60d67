import ArgumentParser

/// `queuectl completions SHELL`: the shell completion script, listed in `--help` (argument-parser's own
/// `--generate-completion-script` is hidden, so users would not find it).
struct Completions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completions",
        abstract: "Print the completion script for bash, zsh or fish.",
        discussion: """
            The script completes command words, options, job states (--state), config keys
            (config get/set) and job ids (show, logs, wait, dlq retry: asked of the store, which is only
            read). Without SHELL, the shell is taken from $SHELL.

            Example:
              queuectl completions bash > ~/.local/share/bash-completion/completions/queuectl
              queuectl completions zsh > "${fpath[1]}/_queuectl"
              queuectl completions fish > ~/.config/fish/completions/queuectl.fish
            """)

    /// Accepted as on every command (the script does not depend on the store).
    @OptionGroup var global: GlobalOptions

    /// The shell to print the script for.
    @Argument(
        help: ArgumentHelp("bash, zsh or fish (default: the shell in $SHELL).", valueName: "shell"),
        completion: .list(CompletionShell.allCases.map(\.rawValue)))
    var shell: String?

    /// The shell named, or the one in `$SHELL`.
    func resolvedShell() throws -> CompletionShell {
        let names = CompletionShell.allCases.map(\.rawValue).joined(separator: ", ")
        guard let shell else {
            guard let detected = CompletionShell.autodetected() else {
                throw ValidationError("cannot tell the shell from $SHELL: name it, one of \(names)")
            }
            return detected
        }
        guard let named = CompletionShell(rawValue: shell) else {
            throw ValidationError("unknown shell '\(shell.prefix(40))': use one of \(names)")
        }
        return named
    }

    func validate() throws {
        _ = try resolvedShell()
    }

    /// Prints the script.
    func run() throws {
        let script = QueueCtl.completionScript(for: try resolvedShell())
        CommandContext.current.standardOutput.write(script.hasSuffix("\n") ? script : script + "\n")
    }
}
