import ArgumentParser

/// `queuectl version`: the same line as `queuectl --version`.
struct Version: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version of queuectl.",
        discussion: """
            Example:
              queuectl version
            """)

    @OptionGroup var global: GlobalOptions

    /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).

    func run() async throws {
        Output().line("queuectl \(QueueCtl.version)")
    }
}
