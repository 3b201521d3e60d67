import QueueCore

/// What `Operations.enqueue` added, and what it has to say about the input.
public struct EnqueueResult: Sendable {
    /// One job per input job, in input order: the new job, or for a job whose unique key was held, the job
    /// holding it (nothing was added for that one).
    public let jobs: [Job]
    /// One line per thing in the input that was ignored (for stderr, or the API's `Warning` headers).
    public let warnings: [String]
    /// One line per input job that was not added because its unique key was held (`already queued as ID`,
    /// prefixed with `job N: ` in a batch of several), for stderr or the API's `Warning` headers.
    public let alreadyQueued: [String]
}
