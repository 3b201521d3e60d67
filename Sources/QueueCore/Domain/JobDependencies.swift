/// The rules of a job's `after` list (`enqueue --after ID`): the job is not claimed until every job it names is
/// `completed`; when one of them ends `dead` or `cancelled`, or is removed before completing, the job (and every
/// job waiting for it, transitively) ends `cancelled` with the reason, in the transaction that ended the
/// dependency. The stores keep the waiting itself (migration 19: a table of unfinished dependencies and a count
/// per job, maintained by triggers on every path that ends or removes a job, which also write the reasons,
/// `dependency ID ended dead` / `ended cancelled` / `removed`); the core checks and resolves the ids.
public enum JobDependencies {
    /// The most jobs one job may wait for: enough for any fan-in a person writes, and it bounds the work of
    /// one enqueue (each dependency is looked up and locked).
    public static let maximumCount = 1000

    /// The states of a dependency that the waiting job still waits for: it may yet complete.
    public static let unfinishedStates: [JobState] = [.pending, .failed, .processing]

    /// `given` checked as job ids (each a full id or a prefix), repeats dropped (naming a job twice waits for it
    /// once), at most `maximumCount`.
    public static func validated(_ given: [String]) throws(QueueError) -> [JobID] {
        guard given.count <= maximumCount else {
            throw .invalidInput("after may name at most \(maximumCount) jobs, got \(given.count)")
        }
        var ids: [JobID] = []
        var seen = Set<JobID>()
        for text in given {
            let id: JobID
            do {
                id = try JobID(text)
            } catch {
                throw .invalidInput("after: \(error.description)")
            }
            if seen.insert(id).inserted { ids.append(id) }
        }
        return ids
    }

    /// The full ids of every spec's `after`, in batch order: each given id is an exact id or a unique prefix of
    /// at least `JobIDResolver.minimumPrefixLength` characters (as everywhere), matched against the jobs in
    /// the store (`storeCandidates`: the ids that start with a given text, as `JobStore.jobIDs(withPrefix:)`
    /// answers) and the jobs earlier in the same batch (`batchIDs`, the ids the batch will get, in order).
    /// Throws `unresolvedDependency` (exit 1) naming the first id that matches no job or several, prefixed with
    /// the job's place in a batch of several (`job 2: `); nothing is enqueued then.
    public static func resolve(
        _ specs: [JobSpec], batchIDs: [JobID], storeCandidates: (JobID) async throws -> [JobID]
    ) async throws -> [[JobID]] {
        var resolved: [[JobID]] = []
        resolved.reserveCapacity(specs.count)
        // A batch of many jobs after one job asks the store once for it.
        var storeMatches: [JobID: [JobID]] = [:]
        let batch = BatchIDIndex(batchIDs)
        for (index, spec) in specs.enumerated() {
            let place = specs.count == 1 ? "" : "job \(index + 1): "
            var ids: [JobID] = []
            for given in spec.after {
                let inStore: [JobID]
                if let known = storeMatches[given] {
                    inStore = known
                } else {
                    inStore = try await storeCandidates(given)
                    storeMatches[given] = inStore
                }
                let candidates = inStore + batch.ids(startingWith: given.rawValue, before: index)
                switch JobIDMatch(given, candidates: candidates) {
                case .exact(let id), .unique(let id):
                    if !ids.contains(id) { ids.append(id) }
                case .ambiguous(let matches):
                    throw QueueError.unresolvedDependency(
                        place + "after: " + QueueError.ambiguousJobID(given.rawValue, matches).description
                            + "; nothing was enqueued")
                case .none:
                    throw QueueError.unresolvedDependency(
                        place + "after: no job with id '\(given)' (in the queue or earlier in this batch); "
                            + "nothing was enqueued")
                }
            }
            resolved.append(ids)
        }
        return resolved
    }

    /// Where each of a job's dependencies stands: `dependencies` are the ids its `after` names with each job as
    /// stored now (nil: removed since). A dependency is still waited for while it may complete (pending, failed
    /// or processing); a removed one is not (it either completed before it was removed, or its removal
    /// cancelled the job).
    public static func statuses(_ dependencies: [(id: JobID, job: Job?)]) -> [JobDependencyStatus] {
        dependencies.map { entry in
            JobDependencyStatus(
                id: entry.id, state: entry.job?.state,
                isWaitedFor: entry.job.map { unfinishedStates.contains($0.state) } ?? false)
        }
    }
}

/// A batch's ids sorted for prefix search, so resolving the `after` of every job of a batch against the jobs
/// before it costs a binary search each, not a scan of the batch each (100,000 jobs after one job took minutes).
private struct BatchIDIndex {
    /// Every id with its place in the batch, in id order.
    private let sorted: [(id: JobID, position: Int)]

    init(_ ids: [JobID]) {
        sorted = ids.enumerated().map { (id: $0.element, position: $0.offset) }.sorted { $0.id.rawValue < $1.id.rawValue }
    }

    /// The ids that start with `prefix` among the first `limit` of the batch, in batch order.
    func ids(startingWith prefix: String, before limit: Int) -> [JobID] {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].id.rawValue < prefix { low = middle + 1 } else { high = middle }
        }
        var matches: [(id: JobID, position: Int)] = []
        while low < sorted.count, sorted[low].id.rawValue.hasPrefix(prefix) {
            if sorted[low].position < limit { matches.append(sorted[low]) }
            low += 1
        }
        return matches.sorted { $0.position < $1.position }.map(\.id)
    }
}
