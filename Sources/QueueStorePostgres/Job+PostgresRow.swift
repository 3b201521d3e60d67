import Foundation
import PostgresNIO
import QueueCore

extension Job {
    /// Decodes a row whose first columns are `PostgresSQL.jobColumns`, in that order.
    init(postgresRow row: PostgresRow) throws(QueueError) {
        do {
            let cells = row.makeRandomAccess()
            let stateText = try cells[7].decode(String.self)
            guard let state = JobState(rawValue: stateText) else {
                throw QueueError.operationFailed("queue database holds a job in unknown state '\(stateText)'")
            }
            self.init(
                id: JobID(trusted: try cells[0].decode(String.self)),
                command: try cells[1].decode(String.self),
                maxRetries: try cells[2].decode(Int.self),
                priority: try cells[3].decode(Int.self),
                runAt: Timestamp.date(milliseconds: try cells[4].decode(Int64.self)),
                timeout: try cells[5].decode(Int.self),
                queue: try cells[6].decode(String.self),
                state: state,
                attempts: try cells[8].decode(Int.self),
                exitCode: try cells[9].decode(Int32?.self),
                lastError: try cells[10].decode(String?.self),
                createdAt: Timestamp.date(milliseconds: try cells[11].decode(Int64.self)),
                updatedAt: Timestamp.date(milliseconds: try cells[12].decode(Int64.self)),
                startedAt: try cells[13].decode(Int64?.self).map(Timestamp.date(milliseconds:)),
                finishedAt: try cells[14].decode(Int64?.self).map(Timestamp.date(milliseconds:)),
                worker: try cells[15].decode(String?.self),
                lastWorker: try cells[18].decode(String?.self),
                timeoutFromConfig: try cells[16].decode(Bool.self),
                noRetryExitCodes: try cells[17].decode([Int32].self),
                snoozes: try cells[19].decode(Int.self))
        } catch let error as QueueError {
            throw error
        } catch {
            throw QueueError.operationFailed("queue database holds an unreadable job row: \(String(reflecting: error))")
        }
    }
}
