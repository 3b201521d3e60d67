import QueueCore

extension Operations {
    /// The job `given` stands for: an exact id, or a unique prefix of 4 characters or more (see
    /// `JobIDResolver`). Throws `jobNotFound` or `ambiguousJobID`.
    public func job(_ given: JobID) async throws -> Job {
        let id = try await resolve(given)
        guard let job = try await store.job(id) else { throw QueueError.jobNotFound(id) }
        return job
    }

    /// The full id `given` stands for (an exact id, or a unique prefix); throws `jobNotFound` or
    /// `ambiguousJobID`.
    public func resolve(_ given: JobID) async throws -> JobID {
        try await JobIDResolver(store: store).resolve(given)
    }

    /// The jobs `filter` selects, in enqueue order.
    public func jobs(_ filter: JobFilter) async throws -> [Job] {
        try await store.jobs(filter)
    }

    /// The dead jobs (the dead letter queue), in enqueue order.
    public func deadJobs() async throws -> [Job] {
        try await store.jobs(JobFilter(state: .dead))
    }

    /// How many jobs are in each state, and how many workers hold a live lease now.
    public func counts() async throws -> QueueCounts {
        try await store.counts(now: clock.now())
    }
}
