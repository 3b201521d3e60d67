/// What `list` (and the dashboard's `GET /api/jobs`) asks for: jobs in any of `states` (any state when empty)
/// AND in any of `queues` (any queue when empty), one page of them.
public struct JobFilter: Sendable, Equatable {
    /// Only jobs in one of these states; empty: every state.
    public var states: [JobState]
    /// Only jobs in one of these queues; empty: every queue.
    public var queues: [String]
    /// At most this many (nil: all).
    public var limit: Int?
    /// Skip this many first.
    public var offset: Int

    /// Jobs in any of `states` and any of `queues` (each empty: no restriction on it).
    public init(states: [JobState], queues: [String] = [], limit: Int? = nil, offset: Int = 0) {
        var seenStates = Set<JobState>()
        var seenQueues = Set<String>()
        self.states = states.filter { seenStates.insert($0).inserted }
        self.queues = queues.filter { seenQueues.insert($0).inserted }
        self.limit = limit
        self.offset = offset
    }

    /// Jobs in `state` (nil: any) and `queue` (nil: any).
    public init(state: JobState? = nil, queue: String? = nil, limit: Int? = nil, offset: Int = 0) {
        self.init(states: state.map { [$0] } ?? [], queues: queue.map { [$0] } ?? [], limit: limit, offset: offset)
    }

    /// The filter that state and queue names as a user typed them describe: each option may be given several
    /// times (`--state dead --state failed`), values of one option are alternatives, the two options both
    /// apply. The one place where the CLI's `list` and the dashboard's `GET /api/jobs` read these names:
    /// an unknown state or an invalid queue name is a usage error naming it.
    public init(parsingStates stateNames: [String], queues queueNames: [String], limit: Int? = nil, offset: Int = 0)
        throws(QueueError)
    {
        var states: [JobState] = []
        for name in stateNames { states.append(try JobState(parsing: name)) }
        for queue in queueNames where !JobSpec.isValidQueueName(queue) { throw JobSpec.invalidQueueName(queue) }
        self.init(states: states, queues: queueNames, limit: limit, offset: offset)
    }
}
