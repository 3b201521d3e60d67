import QueueCore

extension Operations {
    /// Adds the jobs `specs` describe, all or nothing, with the defaults of the store's configuration and
    /// the enqueue time from the clock. A duplicate id fails (`duplicateJobID`) and adds nothing. The
    /// result carries the input's warnings (a managed field such as `state`, ignored); a surface shows them
    /// only once the enqueue succeeded, so a rejected enqueue says one thing: why.
    public func enqueue(_ specs: [JobSpec]) async throws -> EnqueueResult {
        let config = try await store.configuration()
        let now = clock.now()
        let jobs = specs.map { $0.resolved(config: config, now: now) }
        try await store.enqueue(jobs)
        return EnqueueResult(jobs: jobs, warnings: specs.flatMap(\.warnings))
    }
}
