import Foundation
import GRDB
import QueueCore

/// Schedules on SQLite: every write is one IMMEDIATE transaction, so the guarded update of the last tick and
/// the enqueue of the tick's job commit together or not at all, whichever process fires.
extension SQLiteJobStore: ScheduleStore {
    public func addSchedule(_ schedule: ScheduleRecord) async throws {
        let added = try await write { db in
            try Self.execute(db, SQLiteSQL.insertSchedule(schedule))
            return db.changesCount > 0
        }
        guard added else { throw QueueError.scheduleExists(schedule.name) }
    }

    public func schedules() async throws -> [ScheduleRecord] {
        try await read { db in
            try Self.rows(db, SQLiteSQL.schedules()).map { row in try ScheduleRecord(sqliteRow: row) }
        }
    }

    public func removeSchedule(named name: ScheduleName) async throws {
        let removed = try await write { db in
            try Self.execute(db, SQLiteSQL.deleteSchedule(name))
            return db.changesCount > 0
        }
        guard removed else { throw QueueError.scheduleNotFound(name) }
    }

    /// The job goes in with the enqueue's own statement and per-state count; a taken id fails only that
    /// statement (SQLite rolls back the statement, not the transaction), so the advanced tick still commits.
    public func fireScheduleTick(_ tick: ScheduleTick, of name: ScheduleName, job: Job) async throws -> ScheduleFiring {
        let firing = try await write { db -> ScheduleFiring in
            try Self.execute(db, SQLiteSQL.advanceScheduleTick(name, to: Timestamp.milliseconds(tick.instant), job: job.id))
            guard db.changesCount > 0 else { return .alreadyFired }
            do {
                try db.execute(sql: SQLiteSQL.insertJob, arguments: SQLiteSQL.insertJobArguments(job))
            } catch let error as DatabaseError
                where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
                || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
            {
                return .jobIDTaken(job.id)
            }
            try Self.execute(db, SQLiteSQL.countInserted(1, state: job.state))
            return .enqueued(job.id)
        }
        if case .enqueued = firing { wakeupDirectory.notify() }
        return firing
    }
}

extension ScheduleRecord {
    /// Decodes a row of `SQLiteSQL.schedules()` by column name.
    init(sqliteRow row: Row) throws {
        try self.init(
            storedName: row.decode(forColumn: "name"), cron: row.decode(forColumn: "cron"),
            every: row.decode(forColumn: "every"), timeZone: row.decode(forColumn: "tz"),
            command: row.decode(forColumn: "command"), queue: row.decode(forColumn: "queue"),
            priority: row.decode(forColumn: "priority"), timeout: row.decode(forColumn: "timeout"),
            maxRetries: row.decode(forColumn: "max_retries"), addedAt: row.decode(forColumn: "added_at"),
            lastTick: row.decode(forColumn: "last_tick"))
    }
}
