import Foundation
import PostgresNIO
import QueueCore

extension WorkerRecord {
    /// Decodes a row of `PostgresSQL.workers()` by column name. With `shiftedToCallerClock`, its instants move
    /// onto this host's clock by the difference between this host's now and the server's (`server_now`).
    init(postgresRow row: PostgresRow, shiftedToCallerClock: Bool) throws(QueueError) {
        do {
            let cells = row.makeRandomAccess()
            func value<Value: PostgresDecodable>(_ column: String, _ type: Value.Type = Value.self) throws -> Value {
                try cells.named(column).decode(Value.self)
            }
            let serverNow: Int64 = try value("server_now")
            let shift = shiftedToCallerClock ? Timestamp.milliseconds(Date()) - serverNow : 0
            let queues: String = try value("queues")
            self.init(
                id: try value("id"), pid: try value("pid"), host: try value("host"),
                processStart: try value("process_start"),
                queues: queues.isEmpty ? [] : queues.split(separator: ",").map(String.init),
                job: try value("job", String?.self).map(JobID.init(trusted:)),
                startedAt: Timestamp.date(milliseconds: try value("started_at", Int64.self) + shift),
                heartbeatAt: Timestamp.date(milliseconds: try value("heartbeat_at", Int64.self) + shift),
                command: WorkerCommand(rawValue: try value("command")) ?? .run, hostID: try value("host_id"))
        } catch {
            throw QueueError.operationFailed("queue database holds an unreadable worker row: \(String(reflecting: error))")
        }
    }
}
