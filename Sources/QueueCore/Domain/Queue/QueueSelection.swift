/// The queues a `queue pause` or `queue resume` applies to.
public enum QueueSelection: Sendable, Equatable {
    /// These queues (valid names, no repeats), whether or not they have jobs yet.
    case named([String])
    /// Every queue that exists at that moment (has jobs or settings).
    case all

    /// The selection of `queue pause|resume Q ... | --all`, checked: names or `--all`, not both, not neither,
    /// every name valid (the queue name rules of `enqueue --queue`). Repeated names count once. Usage errors.
    public static func parse(names: [String], all: Bool) throws(QueueError) -> QueueSelection {
        if all {
            guard names.isEmpty else { throw .invalidInput("give queue names or --all, not both") }
            return .all
        }
        guard !names.isEmpty else { throw .invalidInput("name at least one queue, or give --all") }
        var unique: [String] = []
        for name in names where !unique.contains(name) {
            guard JobSpec.isValidQueueName(name) else { throw JobSpec.invalidQueueName(name) }
            unique.append(name)
        }
        return .named(unique)
    }
}
