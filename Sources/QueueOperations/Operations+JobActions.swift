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
    /// all-or-nothing: an id given twice is a usage error (`invalidInput`); an unknown or ambiguous id
    /// (`jobNotFound`, `ambiguousJobID`) or one in a state the action does not take (`actionRefused`) changes
    /// nothing. For `remove`, the jobs' log files in `home` are deleted after the jobs. Returns the jobs
    /// after the change (removed ones as they were), in the order given.
    public func apply(_ action: JobAction, to given: [JobID], home: QueueHome?) async throws -> [Job] {
        var typed = Set<JobID>()
        for id in given where !typed.insert(id).inserted {
            throw QueueError.invalidInput("job id '\(id)' is given more than once; give each job once")
        }
        let resolver = JobIDResolver(store: store)
        var resolved: [JobID] = []
        var typedFor: [JobID: JobID] = [:]
        for id in given {
            let full = try await resolver.resolve(id)
            if let earlier = typedFor[full] {
                throw QueueError.invalidInput(
                    "'\(earlier)' and '\(id)' both name job '\(full)'; give each job once")
            }
            typedFor[full] = id
            resolved.append(full)
        }
        let jobs = try await controlStore.apply(action, to: resolved, now: clock.now())
        if action == .remove { home?.removeLogs(of: jobs.map(\.id)) }
        return jobs
    }
}
