import Foundation
import GRDB
import QueueCore

extension SQLiteJobStore {
    /// Checks every id and applies both kinds of cancel in one write transaction, so a rejected id changes
    /// nothing; wakes the workers when a running job was asked to stop.
    public func cancelJobs(_ ids: [JobID], grace: Duration, now: Date) async throws -> [Job] {
        let nowMilliseconds = Self.milliseconds(now)
        let graceMilliseconds = grace.components.seconds * 1000 + grace.components.attoseconds / 1_000_000_000_000_000
        let (jobs, requested) = try await write { db -> ([Job], Bool) in
            var states: [String: String] = [:]
            for chunk in Self.chunks(ids.map(\.rawValue)) {
                for row in try Self.rows(db, SQLiteSQL.jobStates(chunk)) {
                    states[try row.decode(atIndex: 0)] = try row.decode(atIndex: 1)
                }
            }
            let selection = try CancelSelection(ids, states: states)
            let waiting = selection.waiting.map(\.rawValue)
            let running = selection.running.map(\.rawValue)
            for chunk in Self.chunks(waiting) {
                try Self.execute(db, SQLiteSQL.cancelWaitingJobs(chunk, now: nowMilliseconds))
            }
            for chunk in Self.chunks(running) {
                try Self.execute(
                    db, SQLiteSQL.requestCancel(chunk, graceMilliseconds: graceMilliseconds, now: nowMilliseconds))
            }
            if !waiting.isEmpty { try Self.addCounters(db, [RunMetrics.jobsCancelled: Double(waiting.count)]) }
            var jobs: [Job] = []
            for id in ids { jobs += try Self.fetchJobs(db, SQLiteSQL.job(id)) }
            return (jobs, !running.isEmpty)
        }
        if requested { wakeupDirectory.notify() }
        return jobs
    }

    /// The cancel requests of the current runs of `workers`.
    public func cancelRequests(for workers: [String]) async throws -> [CancelRequest] {
        guard !workers.isEmpty else { return [] }
        return try await read { db in
            try Self.rows(db, SQLiteSQL.cancelRequests(workers)).map { row in
                let claim = JobClaim(
                    jobID: JobID(trusted: try row.decode(atIndex: 0)), attempt: try row.decode(atIndex: 1),
                    worker: try row.decode(atIndex: 2))
                let grace: Int64? = try row.decode(atIndex: 3)
                return CancelRequest(claim: claim, grace: .milliseconds(grace ?? 0))
            }
        }
    }

    /// `values` in slices small enough to bind as one `IN` list.
    private static func chunks(_ values: [String]) -> [[String]] {
        stride(from: 0, to: values.count, by: 500).map { Array(values[$0..<min($0 + 500, values.count)]) }
    }
}
