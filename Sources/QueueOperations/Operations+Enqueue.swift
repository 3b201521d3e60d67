import QueueCore

extension Operations {
    /// Adds the jobs `specs` describe, all or nothing, with the defaults of the store's configuration and
    /// the enqueue time from the clock. A duplicate id fails (`duplicateJobID`) and adds nothing. A job whose
    /// unique key is held by a waiting or running job adds nothing and stands for that job in the result, with
    /// an "already queued as" note; the rest of its batch is added. The result carries the input's warnings (a
    /// managed field such as `state`, ignored); a surface shows them only once the enqueue succeeded, so a
    /// rejected enqueue says one thing: why.
    public func enqueue(_ specs: [JobSpec]) async throws -> EnqueueResult {
        let config = try await store.configuration()
        let now = clock.now()
        let jobs = specs.map { $0.resolved(config: config, now: now) }
        let holders = try await store.enqueue(jobs)
        var notes: [String] = []
        for (index, job) in jobs.enumerated() {
            guard let holder = holders[job.id] else { continue }
            let note = UniqueKey.alreadyQueuedNote(holder: holder.id)
            notes.append(jobs.count == 1 ? note : "job \(index + 1): \(note)")
        }
        return EnqueueResult(
            jobs: jobs.map { holders[$0.id] ?? $0 }, warnings: specs.flatMap(\.warnings), alreadyQueued: notes)
    }
}
