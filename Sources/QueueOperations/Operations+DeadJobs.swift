import QueueCore

extension Operations {
    /// Moves the dead jobs `selection` names back to pending with attempts 0 and returns their ids. Ids may
    /// be unique prefixes; each is resolved first (an id given twice, or two naming one job, is `invalidInput`:
    /// see `JobIDResolver.resolveDistinct`). An unknown id
    /// (`jobNotFound`) or one that is not dead (`jobNotDead`) moves nothing.
    public func retryDeadJobs(_ selection: DeadJobSelection) async throws -> [JobID] {
        var resolved = selection
        if case .jobs(let ids) = selection { resolved = .jobs(try await JobIDResolver(store: store).resolveDistinct(ids)) }
        return try await store.retryDeadJobs(resolved, now: clock.now())
    }
}
