import ArgumentParser
import QueueCore
import QueueOperations

/// `queue pause` and `queue resume`: one command with the verb as a parameter (`pauses`). Each keeps its own type
/// for its name and help; what they do is here once.
protocol QueuePauseCommand: AsyncParsableCommand {
    /// Whether the command pauses the queues (`queue pause`) or resumes them (`queue resume`).
    static var pauses: Bool { get }
    /// `--home`, `--db`.
    var global: GlobalOptions { get }
    /// The queues named, or `--all`.
    var queues: QueueSelectionOptions { get }
}

extension QueuePauseCommand {
    /// Pauses or resumes the selection and prints each queue changed, one a line (errors are mapped to exit codes
    /// by `QueueCtl.main`).
    func run() async throws {
        let selection = try queues.selection()
        let changed = try await global.withOperations { operations, _ in
            try await operations.setPaused(Self.pauses, queues: selection)
        }
        Output(CommandContext.current).lines(changed)
    }
}
