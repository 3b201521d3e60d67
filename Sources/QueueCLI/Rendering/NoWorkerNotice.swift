import Foundation
import QueueCore
import QueueOperations

/// The one stderr note of `wait` and `logs --follow` when no live worker could run what they wait for
/// (decided by `WorkerAvailability`). Checked once a second while waiting, from the first second on (a
/// wait that ends sooner needs no advice, and a worker started just before has time to register), and
/// printed at most once.
struct NoWorkerNotice {
    /// Where the note goes.
    let context: CommandContext
    /// Whether the note has been printed (then nothing more is checked).
    private(set) var printed = false
    /// When the workers were last looked at (at first: when the wait began).
    private var lastCheck = ContinuousClock().now

    init(context: CommandContext) {
        self.context = context
    }

    /// Looks at the workers (unless it did less than a second ago, or has spoken already) and prints the
    /// note when `jobs` need one.
    mutating func check(_ jobs: [Job], in operations: Operations) async throws {
        let clock = ContinuousClock()
        if printed { return }
        if clock.now - lastCheck < .seconds(1) { return }
        lastCheck = clock.now
        guard let note = try await operations.workerAvailability().note(for: jobs) else { return }
        context.standardError.write(QueueCtl.errorPrefix + QueueCtl.stderrText("note: " + note) + "\n")
        printed = true
    }
}
