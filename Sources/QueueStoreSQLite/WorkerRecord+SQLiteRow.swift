import Foundation
import GRDB
import QueueCore

extension WorkerRecord {
    /// Decodes a row of `SQLiteSQL.workers()` by column name.
    init(sqliteRow row: Row) throws(QueueError) {
        do {
            let queues: String = try row.decode(forColumn: "queues")
            let commandText: String = try row.decode(forColumn: "command")
            let job: String? = try row.decode(forColumn: "job")
            self.init(
                id: try row.decode(forColumn: "id"),
                pid: try row.decode(forColumn: "pid"),
                host: try row.decode(forColumn: "host"),
                processStart: try row.decode(forColumn: "process_start"),
                queues: queues.isEmpty ? [] : queues.split(separator: ",").map(String.init),
                job: job.map(JobID.init(trusted:)),
                startedAt: Timestamp.date(milliseconds: try row.decode(forColumn: "started_at")),
                heartbeatAt: Timestamp.date(milliseconds: try row.decode(forColumn: "heartbeat_at")),
                command: WorkerCommand(rawValue: commandText) ?? .run,
                hostID: try row.decode(forColumn: "host_id"))
        } catch {
            throw QueueError.operationFailed("queue database holds an unreadable worker row: \(error)")
        }
    }
}
