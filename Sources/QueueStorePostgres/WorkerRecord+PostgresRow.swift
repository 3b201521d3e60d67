import Foundation
import PostgresNIO
import QueueCore

extension WorkerRecord {
    /// Decodes a row of `PostgresSQL.workers()`. With `shiftedToCallerClock`, its instants move onto this
    /// host's clock by the difference between this host's now and the server's (the row's last column).
    init(postgresRow row: PostgresRow, shiftedToCallerClock: Bool) throws(QueueError) {
        do {
            let (id, pid, host, processStart, queues, started, heartbeat, command, job, hostID, serverNow) = try row.decode(
                (String, Int32, String, Int64, String, Int64, Int64, String, String?, String, Int64).self)
            let shift = shiftedToCallerClock ? Timestamp.milliseconds(Date()) - serverNow : 0
            let (startedAt, heartbeatAt) = (started + shift, heartbeat + shift)
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
