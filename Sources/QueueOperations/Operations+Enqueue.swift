import QueueCore

extension Operations {
    /// Adds the jobs `specs` describe, all or nothing, with the defaults of the store's configuration and
    /// the enqueue time from the clock. A duplicate id fails (`duplicateJobID`) and adds nothing. A job whose
    /// unique key is held by a waiting or running job adds nothing and stands for that job in the result, with
    /// an "already queued as" note; the rest of its batch is added. The result carries the input's warnings (a
    /// managed field such as `state`, ignored); a surface shows them only once the enqueue succeeded, so a
    /// rejected enqueue says one thing: why.
    ///
    /// A spec's `after` ids are resolved first (`JobDependencies.resolve`): an id that names no job in the store
    /// or earlier in the batch fails the whole batch (exit 1). A job whose dependency already ended dead or
    /// cancelled is stored `cancelled` at once; the result shows it as stored.
    public func enqueue(_ specs: [JobSpec]) async throws -> EnqueueResult {
        let config = try await store.configuration()
        let now = clock.now()
        var jobs = specs.map { $0.resolved(config: config, now: now) }
        let waits = specs.contains { !$0.after.isEmpty }
        if waits {
            let store = self.store
            let after = try await JobDependencies.resolve(specs, batchIDs: jobs.map(\.id)) { given in
                try await store.jobIDs(withPrefix: given, limit: JobIDResolver.candidatesShown + 1)
            }
            for index in jobs.indices { jobs[index].after = after[index] }
        }
        var holders = try await store.enqueue(jobs)
        let readBack = waits ? try await dependencyMayHaveEnded(outside: jobs) : false
        if readBack {
            // The store cancelled the jobs after an ended dependency: show them as stored.
            for job in jobs where !job.after.isEmpty && holders[job.id] == nil {
                if let stored = try await store.job(job.id) { holders[job.id] = stored }
            }
        }
        var notes: [String] = []
        for (index, job) in jobs.enumerated() {
            guard let holder = holders[job.id], holder.id != job.id else { continue }
            let note = UniqueKey.alreadyQueuedNote(holder: holder.id)
            notes.append(jobs.count == 1 ? note : "job \(index + 1): \(note)")
        }
        return EnqueueResult(
            jobs: jobs.map { holders[$0.id] ?? $0 }, warnings: specs.flatMap(\.warnings), alreadyQueued: notes)
    }

    /// Whether a dependency of `jobs` that is not one of them is dead, cancelled or gone now (read after the
    /// enqueue, so one that ended meanwhile counts): only then can the store have cancelled one of `jobs`, and
    /// only then are they read back. One read per distinct dependency, not per job.
    private func dependencyMayHaveEnded(outside jobs: [Job]) async throws -> Bool {
        let batch = Set(jobs.map(\.id))
        for id in Set(jobs.flatMap(\.after)).subtracting(batch) {
            guard let dependency = try await store.job(id) else { return true }
            if dependency.state == .dead || dependency.state == .cancelled { return true }
        }
        return false
    }
}
