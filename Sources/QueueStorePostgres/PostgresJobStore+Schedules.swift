import Foundation
import PostgresNIO
import QueueCore

/// Schedules on PostgreSQL. A tick fires in one transaction: the guarded update of the schedule's last tick, then
/// the enqueue's own statement (with its NOTIFY, sent at commit) behind a savepoint, so a job id a user took
/// already undoes only the enqueue and the tick still counts as fired.
extension PostgresJobStore: ScheduleStore {
    public func addSchedule(_ schedule: ScheduleRecord) async throws {
        guard try await !rows(PostgresSQL.insertSchedule(schedule)).isEmpty else {
            throw QueueError.scheduleExists(schedule.name)
        }
    }

    public func schedules() async throws -> [ScheduleRecord] {
        try await rows(PostgresSQL.schedules()).map { row throws(QueueError) in try ScheduleRecord(postgresRow: row) }
    }

    public func removeSchedule(named name: ScheduleName) async throws {
        guard try await !rows(PostgresSQL.deleteSchedule(name)).isEmpty else { throw QueueError.scheduleNotFound(name) }
    }

    public func fireScheduleTick(_ tick: ScheduleTick, of name: ScheduleName, job: Job) async throws -> ScheduleFiring {
        let rows = try PostgresJobRow.json([job])
        let enqueue = PostgresSQL.enqueue(rows: rows, serverStamps: clock == .database)
        let logger = logger
        return try await transaction { connection in
            let advance = PostgresSQL.advanceScheduleTick(name, to: Timestamp.milliseconds(tick.instant), job: job.id)
            guard try await !Self.rows(advance, on: connection, logger: logger).isEmpty else { return .alreadyFired }
            _ = try await Self.rows(PostgresSQL.scheduleTickSavepoint(), on: connection, logger: logger)
            do {
                _ = try await Self.rows(enqueue, on: connection, logger: logger)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
                _ = try await Self.rows(PostgresSQL.rollbackToScheduleTickSavepoint(), on: connection, logger: logger)
                return .jobIDTaken(job.id)
            }
            return .enqueued(job.id)
        }
    }
}

extension ScheduleRecord {
    /// Decodes a row of `PostgresSQL.schedules()` by column name.
    init(postgresRow row: PostgresRow) throws(QueueError) {
        let cells = row.makeRandomAccess()
        func value<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws(QueueError) -> Value {
            guard cells.contains(column) else { throw .operationFailed("PostgreSQL answered without a column '\(column)'") }
            do {
                return try cells[column].decode(Value.self)
            } catch {
                throw .operationFailed("queue database holds an unreadable schedule row: \(String(reflecting: error))")
            }
        }
        try self.init(
            storedName: value("name"), cron: value("cron"), every: value("every"), timeZone: value("tz"),
            command: value("command"), queue: value("queue"), priority: value("priority"), timeout: value("timeout"),
            maxRetries: value("max_retries"), addedAt: value("added_at"), lastTick: value("last_tick"))
    }
}
