import Foundation
import PostgresNIO
import QueueCore

extension WorkerRecord {
    /// Decodes a row of `PostgresSQL.workers()`.
    init(postgresRow row: PostgresRow) throws(QueueError) {
        do {
            let (id, pid, host, processStart, queues, startedAt, heartbeatAt, command, job, hostID) = try row.decode(
                (String, Int32, String, Int64, String, Int64, Int64, String, String?, String).self)
            self.init(
                id: id, pid: pid, host: host, processStart: processStart,
                queues: queues.isEmpty ? [] : queues.split(separator: ",").map(String.init),
                job: job.map(JobID.init(trusted:)),
                startedAt: Timestamp.date(milliseconds: startedAt),
                heartbeatAt: Timestamp.date(milliseconds: heartbeatAt),
                command: WorkerCommand(rawValue: command) ?? .run, hostID: hostID)
        } catch {
            throw QueueError.operationFailed("queue database holds an unreadable worker row: \(String(reflecting: error))")
        }
    }
}
