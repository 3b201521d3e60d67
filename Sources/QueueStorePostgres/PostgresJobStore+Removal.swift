import Foundation
import PostgresNIO
import QueueCore

/// `remove`, `restart`, `promote`, `purge` and retention turns. `apply` locks the named rows (`FOR UPDATE`)
/// before it checks their states, so a worker's claim or result waits for it rather than slipping in between;
/// purges skip rows others hold, so two hosts pruning at once share the work instead of waiting.
extension PostgresJobStore: JobControlStore {
    public func apply(_ action: JobAction, to ids: [JobID], now: Date) async throws -> [Job] {
        guard !ids.isEmpty else { return [] }
        let names = ids.map(\.rawValue)
        let states = JobState.allCases.filter(action.acceptedStates.contains).map(\.rawValue)
        let nowStamp = stamp(now)
        let logger = logger
        let changed: [Job] = try await transaction { connection in
            var found: [JobID: JobState] = [:]
            for row in try await Self.rows(PostgresSQL.lockJobs(names), on: connection, logger: logger) {
                let job = try Job(postgresRow: row)
                found[job.id] = job.state
            }
            for id in ids {
                guard let state = found[id] else { throw QueueError.jobNotFound(id) }
                try action.check(id, state: state)
            }
            let statement =
                switch action {
                case .remove: PostgresSQL.removeJobs(names, states: states)
                case .restart: PostgresSQL.restartJobs(names, states: states, now: nowStamp)
                case .promote: PostgresSQL.promoteJobs(names, states: states, now: nowStamp)
                }
            var after: [JobID: Job] = [:]
            for row in try await Self.rows(statement, on: connection, logger: logger) {
                let job = try Job(postgresRow: row)
                after[job.id] = job
            }
            return ids.compactMap { after[$0] }
        }
        if action != .remove { await notify(action.rawValue) }
        return changed
    }

    public func purgeJobs(_ selection: PurgeSelection, now: Date, limit: Int) async throws -> [JobID] {
        guard limit > 0 else { return [] }
        let query = PostgresSQL.purgeJobs(
            states: selection.orderedStates.map(\.rawValue), queues: selection.queues,
            olderThan: Int64((selection.olderThan * 1000).rounded()), now: stamp(now), limit: limit)
        return try await rows(query).map { row throws(QueueError) in JobID(trusted: try decode(row, String.self)) }
    }

    public func purgeableJobIDs(_ selection: PurgeSelection, now: Date) async throws -> [JobID] {
        let query = PostgresSQL.purgeableJobIDs(
            states: selection.orderedStates.map(\.rawValue), queues: selection.queues,
            olderThan: Int64((selection.olderThan * 1000).rounded()), now: stamp(now))
        return try await rows(query).map { row throws(QueueError) in JobID(trusted: try decode(row, String.self)) }
    }

    public func takeTurn(of task: String, now: Date, interval: TimeInterval) async throws -> Bool {
        let query = PostgresSQL.takeTurn(of: task, now: stamp(now), interval: Int64((interval * 1000).rounded()))
        return try await !rows(query).isEmpty
    }
}
