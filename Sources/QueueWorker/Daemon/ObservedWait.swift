/// A wait for something another process changes (a daemon's exit, its rows in the store): observe, check,
/// sleep `interval`, again; with steps that act once a given time has passed since the wait began (ask the
/// workers to abort, tell the user what the wait is for, kill) and an optional deadline after which it gives
/// up. Every wait of the worker supervisor and of the stop operations is one of these, so "poll until, with a
/// deadline" is written once.
///
/// There is nothing to subscribe to: another process's exit is seen only by polling its `/proc` entry (it is
/// not our child), and the store's rows by reading them. `interval` is the price of that, paid once here.
public struct ObservedWait<Observation> {
    /// Something to do once `after` has passed.
    private struct Step {
        /// Since the wait began.
        let after: Duration
        /// Whether it acts at every check from then on, not only at the first.
        let repeats: Bool
        /// The action, given the latest observation.
        let action: (Observation) async throws -> Void
    }

    /// How long to sleep between two checks.
    public let interval: Duration
    /// When the wait began: steps and the deadline count from here.
    public let start: ContinuousClock.Instant
    private var steps: [Step] = []

    /// A wait that checks every `interval`, timed from `start` (now unless the wait began earlier).
    public init(interval: Duration, start: ContinuousClock.Instant = .now) {
        self.interval = interval
        self.start = start
    }

    /// Adds `action`, taken at the first check once `after` has passed since the start (with `repeats`, at
    /// every check from then on). Steps act in the order they were added.
    public mutating func step(
        after: Duration, repeats: Bool = false, _ action: @escaping (Observation) async throws -> Void
    ) {
        steps.append(Step(after: after, repeats: repeats, action: action))
    }

    /// Observes until `isDone` holds, taking the steps that are due after each observation that is not done.
    /// Returns false when `deadline` (since the start) passed first.
    @discardableResult
    public func run(
        deadline: Duration? = nil, observe: () async throws -> Observation,
        until isDone: (Observation) async throws -> Bool
    ) async throws -> Bool {
        try await result(deadline: deadline, observe: observe) { try await isDone($0) ? () : nil } != nil
    }

    /// Observes until `done` answers a result, taking the steps that are due after each observation that is
    /// not done. Returns nil once `deadline` (since the start) has passed without a result.
    public func result<Result>(
        deadline: Duration? = nil, observe: () async throws -> Observation,
        from done: (Observation) async throws -> Result?
    ) async throws -> Result? {
        let clock = ContinuousClock()
        var taken = Array(repeating: false, count: steps.count)
        while true {
            let observation = try await observe()
            if let result = try await done(observation) { return result }
            let elapsed = clock.now - start
            if let deadline, elapsed >= deadline { return nil }
            for (index, step) in steps.enumerated() where elapsed >= step.after && (step.repeats || !taken[index]) {
                taken[index] = true
                try await step.action(observation)
            }
            try await Task.sleep(for: interval)
        }
    }
}
