import QueueCore

extension Operations {
    /// Where each job `job` waits for stands now, in the order its `after` names them (`show`, the dashboard's
    /// job detail): one read per dependency.
    public func dependencies(of job: Job) async throws -> [JobDependencyStatus] {
        var found: [(id: JobID, job: Job?)] = []
        for id in job.after { found.append((id, try await store.job(id))) }
        return JobDependencies.statuses(found)
    }
}
