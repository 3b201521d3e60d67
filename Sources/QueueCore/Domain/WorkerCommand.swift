/// What a worker is told at its heartbeat.
///
/// Commands are ordered by strength, `run < drain < abort`: a worker holding several asks (a slot of each of
/// its ids, or two stop requests in a row) follows the strongest, and a stop request only ever strengthens
/// what a worker was told (a later `drain` never softens an `abort`). This is the one copy of that order;
/// the stores apply it through `replacedCommands` and `Comparable`.
public enum WorkerCommand: String, Sendable, Equatable, CaseIterable, Comparable {
    /// Keep going.
    case run
    /// Take no new job, finish the running ones, exit.
    case drain
    /// Kill running jobs, put them back as pending (not counted), exit.
    case abort

    /// The position in the order of strength.
    private var strength: Int {
        switch self {
        case .run: 0
        case .drain: 1
        case .abort: 2
        }
    }

    public static func < (lhs: WorkerCommand, rhs: WorkerCommand) -> Bool { lhs.strength < rhs.strength }

    /// The strongest of `commands`; `.run` when there is none (a worker nobody asked anything).
    public static func strongest<Commands: Sequence>(of commands: Commands) -> WorkerCommand
    where Commands.Element == WorkerCommand {
        commands.max() ?? .run
    }

    /// What a worker holding `current` is told after this command is requested: a stop request keeps the
    /// stronger of the two, `run` (a fresh start) resets any stop.
    public func applied(to current: WorkerCommand) -> WorkerCommand {
        self == .run ? .run : max(self, current)
    }

    /// The commands a request for this one overwrites (`applied(to:)` changes them): what a store's guarded
    /// update matches, so the order is decided here and the update stays one atomic statement.
    public var replacedCommands: [WorkerCommand] {
        Self.allCases.filter { $0 != self && applied(to: $0) == self }
    }
}
