import ArgumentParser
import QueueCore

/// The queues `queue pause` and `queue resume` name: queue names or `--all` (checked by `QueueSelection.parse`).
struct QueueSelectionOptions: ParsableArguments {
    /// The queues named.
    @Argument(help: ArgumentHelp("The queues.", valueName: "queue")) var queues: [String] = []

    /// Every queue instead.
    @Flag(help: "Every queue that exists now (one created later is not included).") var all = false

    /// The selection, or a usage error (no queue and no --all, both, an invalid name).
    func selection() throws(QueueError) -> QueueSelection {
        try QueueSelection.parse(names: queues, all: all)
    }
}
