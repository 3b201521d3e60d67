import Foundation
import PostgresNIO
import QueueCore

extension PostgresJobStore {
    /// Locks the jobs, checks every id and applies both kinds of cancel in one transaction, so a rejected id
    /// changes nothing; then NOTIFYs the workers (on every host) when a running job was asked to stop.
    public func cancelJobs(_ ids: [JobID], grace: Duration, now: Date) async throws -> [Job] {
        let nowStamp = stamp(now)
        let graceMilliseconds = grace.components.seconds * 1000 + grace.components.attoseconds / 1_000_000_000_000_000
        let logger = logger
        let texts = ids.map(\.rawValue)
        let (rows, requested) = try await transaction { connection -> ([PostgresRow], Bool) in
            var states: [String: String] = [:]
            for row in try await Self.rows(PostgresSQL.lockJobStates(texts), on: connection, logger: logger) {
                let (id, state) = try row.decode((String, String).self)
                states[id] = state
            }
            let selection = try CancelSelection(ids, states: states)
            let waiting = selection.waiting.map(\.rawValue)
            let running = selection.running.map(\.rawValue)
            if !waiting.isEmpty {
                _ = try await Self.rows(PostgresSQL.cancelWaitingJobs(waiting, now: nowStamp), on: connection, logger: logger)
                _ = try await Self.rows(
                    PostgresSQL.addToCounter(RunMetrics.jobsCancelled, amount: Double(waiting.count)), on: connection,
                    logger: logger)
            }
            if !running.isEmpty {
                _ = try await Self.rows(
                    PostgresSQL.requestCancel(running, graceMilliseconds: graceMilliseconds, now: nowStamp),
                    on: connection, logger: logger)
            }
            return (try await Self.rows(PostgresSQL.jobs(texts), on: connection, logger: logger), !running.isEmpty)
        }
        if requested { await notify("cancel") }
        var byID: [JobID: Job] = [:]
        for row in rows {
            let job = try Job(postgresRow: row)
            byID[job.id] = job
        }
        return ids.compactMap { byID[$0] }
    }

    /// The cancel requests of the current runs of `workers`.
    public func cancelRequests(for workers: [String]) async throws -> [CancelRequest] {
        guard !workers.isEmpty else { return [] }
        return try await rows(PostgresSQL.cancelRequests(workers)).map { row throws(QueueError) in
            let (id, attempt, worker, grace) = try decode(row, (String, Int64, String, Int64?).self)
            return CancelRequest(
                claim: JobClaim(jobID: JobID(trusted: id), attempt: Int(attempt), worker: worker),
                grace: .milliseconds(grace ?? 0))
        }
    }
}
