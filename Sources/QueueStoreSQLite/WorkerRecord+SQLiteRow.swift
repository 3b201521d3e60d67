import Foundation
import GRDB
import QueueCore

extension WorkerRecord {
    /// Decodes a row of `SQLiteSQL.workers()`.
    init(sqliteRow row: Row) throws(QueueError) {
        do {
            let queues: String = try row.decode(atIndex: 4)
            let commandText: String = try row.decode(atIndex: 7)
            let job: String? = try row.decode(atIndex: 8)
            self.init(
                id: try row.decode(atIndex: 0),
                pid: try row.decode(atIndex: 1),
                host: try row.decode(atIndex: 2),
                processStart: try row.decode(atIndex: 3),
                queues: queues.isEmpty ? [] : queues.split(separator: ",").map(String.init),
                job: job.map(JobID.init(trusted:)),
                startedAt: Timestamp.date(milliseconds: try row.decode(atIndex: 5)),
                heartbeatAt: Timestamp.date(milliseconds: try row.decode(atIndex: 6)),
                command: WorkerCommand(rawValue: commandText) ?? .run,
                hostID: try row.decode(atIndex: 9))
        } catch {
            throw QueueError.operationFailed("queue database holds an unreadable worker row: \(error)")
        }
    }
}
