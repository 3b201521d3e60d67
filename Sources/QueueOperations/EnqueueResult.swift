import QueueCore

/// What `Operations.enqueue` added, and what it has to say about the input.
public struct EnqueueResult: Sendable {
    /// The new jobs, in input order.
    public let jobs: [Job]
    /// One line per thing in the input that was ignored (for stderr, or the API's `Warning` headers).
    public let warnings: [String]
}
