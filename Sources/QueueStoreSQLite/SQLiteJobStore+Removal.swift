import Foundation
import GRDB
import QueueCore

/// `remove`, `restart`, `promote`, `purge` and retention turns. Each call is one IMMEDIATE transaction: the
/// states are read under the write lock the change is made under, so nothing changes in between.
extension SQLiteJobStore: JobControlStore {
    /// How many ids one statement binds (SQLite's limit on bound values is 32,766; the DLQ retry uses 500 too).
    static let idsPerStatement = 500

    public func apply(_ action: JobAction, to ids: [JobID], now: Date) async throws -> [Job] {
        guard !ids.isEmpty else { return [] }
        let nowMilliseconds = Self.milliseconds(now)
        let states = JobState.allCases.filter(action.acceptedStates.contains).map(\.rawValue)
        let chunks = stride(from: 0, to: ids.count, by: Self.idsPerStatement).map {
            ids[$0..<min($0 + Self.idsPerStatement, ids.count)].map(\.rawValue)
        }
        let changed: [Job] = try await write { db in
            var found: [JobID: Job] = [:]
            for chunk in chunks {
                for job in try Self.fetchJobs(db, SQLiteSQL.jobs(chunk)) { found[job.id] = job }
            }
            for id in ids {
                guard let job = found[id] else { throw QueueError.jobNotFound(id) }
                try action.check(id, state: job.state)
            }
            var after: [JobID: Job] = [:]
            for chunk in chunks {
                let statement =
                    switch action {
                    case .remove: SQLiteSQL.removeJobs(chunk, states: states)
                    case .restart: SQLiteSQL.restartJobs(chunk, states: states, now: nowMilliseconds)
                    case .promote: SQLiteSQL.promoteJobs(chunk, states: states, now: nowMilliseconds)
                    }
                for job in try Self.fetchJobs(db, statement) { after[job.id] = job }
            }
            return ids.compactMap { after[$0] }
        }
        if action != .remove { wakeupDirectory.notify() }
        return changed
    }

    public func purgeJobs(_ selection: PurgeSelection, now: Date, limit: Int) async throws -> [JobID] {
        guard limit > 0 else { return [] }
        let before = Self.milliseconds(selection.cutoff(now: now))
        return try await write { db in
            var deleted: [JobID] = []
            for state in selection.orderedStates where deleted.count < limit {
                let statement = SQLiteSQL.purgeJobs(
                    state, queues: selection.queues, before: before, limit: limit - deleted.count)
                for row in try Self.rows(db, statement) { deleted.append(JobID(trusted: try row.decode(atIndex: 0))) }
            }
            return deleted
        }
    }

    public func purgeableJobIDs(_ selection: PurgeSelection, now: Date) async throws -> [JobID] {
        let before = Self.milliseconds(selection.cutoff(now: now))
        return try await read { db in
            var ids: [JobID] = []
            for state in selection.orderedStates {
                let statement = SQLiteSQL.purgeableJobIDs(state, queues: selection.queues, before: before)
                for row in try Self.rows(db, statement) { ids.append(JobID(trusted: try row.decode(atIndex: 0))) }
            }
            return ids
        }
    }

    public func takeTurn(of task: String, now: Date, interval: TimeInterval) async throws -> Bool {
        let statement = SQLiteSQL.takeTurn(
            of: task, now: Self.milliseconds(now), interval: Int64((interval * 1000).rounded()))
        return try await write { db in try !Self.rows(db, statement).isEmpty }
    }
}
