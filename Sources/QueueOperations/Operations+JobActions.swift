import Foundation
import QueueCore

extension Operations {
    /// The store's control-of-work writes (both stores have them; see `JobControlStore`).
    var controlStore: any JobControlStore {
        get throws {
            guard let store = store as? any JobControlStore else {
                throw QueueError.operationFailed("this store cannot remove, restart, promote or purge jobs")
            }
            return store
        }
    }

    /// `remove`, `restart` or `promote` of the jobs `given` (ids, or unique prefixes of 4 characters or more),
    /// all-or-nothing: an id given twice, or two naming one job, is a usage error (`invalidInput`, see
    /// `JobIDResolver.resolveDistinct`); an unknown or ambiguous id
    /// (`jobNotFound`, `ambiguousJobID`) or one in a state the action does not take (`actionRefused`) changes
    /// nothing. For `remove`, the jobs' log files in `home` are deleted after the jobs. Returns the jobs
    /// after the change (removed ones as they were), in the order given.
    public func apply(_ action: JobAction, to given: [JobID], home: QueueHome?) async throws -> [Job] {
        let resolved = try await JobIDResolver(store: store).resolveDistinct(given)
        let jobs = try await controlStore.apply(action, to: resolved, now: clock.now())
        if action == .remove { home?.removeLogs(of: jobs.map(\.id)) }
        return jobs
    }
}
