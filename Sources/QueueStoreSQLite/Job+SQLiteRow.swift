import Foundation
import GRDB
import QueueCore

extension Job {
    /// Decodes a row whose first columns are `SQLiteSQL.jobColumns`, in that order.
    init(sqliteRow row: Row) throws(QueueError) {
        do {
            let stateText: String = try row.decode(atIndex: 7)
            guard let state = JobState(rawValue: stateText) else {
                throw QueueError.operationFailed("queue database holds a job in unknown state '\(stateText)'")
            }
            let exitCode: Int64? = try row.decode(atIndex: 9)
            let startedAt: Int64? = try row.decode(atIndex: 13)
            let finishedAt: Int64? = try row.decode(atIndex: 14)
            self.init(
                id: JobID(trusted: try row.decode(atIndex: 0)),
                command: try row.decode(atIndex: 1),
                maxRetries: try row.decode(atIndex: 2),
                priority: try row.decode(atIndex: 3),
                runAt: Timestamp.date(milliseconds: try row.decode(atIndex: 4)),
                timeout: try row.decode(atIndex: 5),
                queue: try row.decode(atIndex: 6),
                state: state,
                attempts: try row.decode(atIndex: 8),
                exitCode: exitCode.map { Int32(truncatingIfNeeded: $0) },
                lastError: try row.decode(atIndex: 10),
                createdAt: Timestamp.date(milliseconds: try row.decode(atIndex: 11)),
                updatedAt: Timestamp.date(milliseconds: try row.decode(atIndex: 12)),
                startedAt: startedAt.map(Timestamp.date(milliseconds:)),
                finishedAt: finishedAt.map(Timestamp.date(milliseconds:)),
                worker: try row.decode(atIndex: 15),
                lastWorker: try row.decode(atIndex: 18),
                timeoutFromConfig: try row.decode(atIndex: 16),
                noRetryExitCodes: SQLiteSQL.exitCodes(try row.decode(atIndex: 17)),
                snoozes: try row.decode(atIndex: 19))
        } catch let error as QueueError {
            throw error
        } catch {
            throw QueueError.operationFailed("queue database holds an unreadable job row: \(error)")
        }
    }
}
