/// Turns the job ids a user typed into the jobs' full ids: an exact id always wins; otherwise a prefix of at
/// least `minimumPrefixLength` characters names the one job whose id starts with it. Every command and
/// route that takes a job id resolves it here, so they all accept the same prefixes.
public struct JobIDResolver: Sendable {
    /// The shortest prefix that may stand for an id (shorter text must be a whole id).
    public static let minimumPrefixLength = 4
    /// How many candidates an ambiguous prefix names.
    public static let candidatesShown = 3

    /// The store the jobs live in.
    public let store: any JobStore

    public init(store: any JobStore) {
        self.store = store
    }

    /// The full id `given` stands for. Throws `invalidInput` when it is not even a valid id (exit 2),
    /// `jobNotFound` when no job matches, `ambiguousJobID` when several jobs start with it.
    public func resolve(_ given: String) async throws -> JobID {
        try await resolve(try JobID(given))
    }

    /// The full id `id` (already validated) stands for; throws `jobNotFound` or `ambiguousJobID`.
    public func resolve(_ id: JobID) async throws -> JobID {
        // One more than shown, so an ambiguous prefix can say "and more".
        let candidates = try await store.jobIDs(withPrefix: id, limit: Self.candidatesShown + 1)
        switch JobIDMatch(id, candidates: candidates) {
        case .exact(let match), .unique(let match): return match
        case .ambiguous(let matches): throw QueueError.ambiguousJobID(id.rawValue, matches)
        case .none: throw QueueError.jobNotFound(id)
        }
    }

    /// The full ids of each of `given`, in order, each job named once: the rule of every command that takes
    /// several ids and changes jobs (`cancel`, `dlq retry`, `remove`, `restart`, `promote`), so a typo that
    /// repeats an id is caught instead of quietly acting on fewer jobs than were typed. An id typed twice, or
    /// two ids naming one job (a prefix and the full id, or two prefixes), throws `invalidInput` (exit 2)
    /// naming both; an unknown or ambiguous id throws as `resolve(_:)` does. The ids are checked in order,
    /// so the first problem is the one reported.
    public func resolveDistinct(_ given: [JobID]) async throws -> [JobID] {
        var typed = Set<JobID>()
        for id in given where !typed.insert(id).inserted {
            throw QueueError.invalidInput("job id '\(id)' is given more than once; give each job once")
        }
        var resolved: [JobID] = []
        var typedFor: [JobID: JobID] = [:]
        for id in given {
            let full = try await resolve(id)
            if let earlier = typedFor[full] {
                throw QueueError.invalidInput("'\(earlier)' and '\(id)' both name job '\(full)'; give each job once")
            }
            typedFor[full] = id
            resolved.append(full)
        }
        return resolved
    }

    /// The full ids of each of `given`, in order, duplicates (after resolution) dropped: for commands that
    /// only read (`wait`), where naming a job twice does no harm.
    public func resolve(_ given: [JobID]) async throws -> [JobID] {
        var ids: [JobID] = []
        for text in given {
            let id = try await resolve(text)
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }
}

/// What a typed id matches among the ids that start with it: the decision of `JobIDResolver`, apart from
/// the store so it can be tested alone.
public enum JobIDMatch: Sendable, Equatable {
    /// A job has exactly this id.
    case exact(JobID)
    /// No job has this id, but exactly one job's id starts with it (and it is long enough to be a prefix).
    case unique(JobID)
    /// Several jobs' ids start with it (the first few, in id order).
    case ambiguous([JobID])
    /// No job has this id or, for a prefix long enough, starts with it.
    case none

    /// Decides what `given` names, from `candidates`: the ids that start with it (any order, any count).
    public init(_ given: JobID, candidates: [JobID]) {
        if candidates.contains(given) {
            self = .exact(given)
            return
        }
        let matches = candidates.filter { $0.rawValue.hasPrefix(given.rawValue) }.sorted()
        guard given.rawValue.count >= JobIDResolver.minimumPrefixLength, let first = matches.first else {
            self = .none
            return
        }
        self = matches.count == 1 ? .unique(first) : .ambiguous(matches)
    }
}
