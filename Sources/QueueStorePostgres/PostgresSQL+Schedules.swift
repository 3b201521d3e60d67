import Foundation
import PostgresNIO
import QueueCore

/// The schedule statements (migration 013), named as in `SQLiteSQL+Schedules.swift`.
extension PostgresSQL {
    /// Adds `schedule` unless its name is taken; returns its name only when added.
    static func insertSchedule(_ schedule: ScheduleRecord) -> PostgresQuery {
        """
        INSERT INTO queuectl_schedule (name, cron, every, tz, command, queue, priority, timeout, max_retries, added_at)
        VALUES (\(schedule.name.rawValue), \(schedule.spec.cronExpression), \(schedule.spec.everySeconds),
            \(schedule.spec.timeZoneIdentifier), \(schedule.job.command), \(schedule.job.queue), \(schedule.job.priority),
            \(schedule.job.timeout), \(schedule.job.maxRetries), \(Timestamp.milliseconds(schedule.addedAt)))
        ON CONFLICT (name) DO NOTHING
        RETURNING name
        """
    }

    /// Every schedule, by name (in the "C" collation, byte order, as SQLite sorts).
    static func schedules() -> PostgresQuery {
        """
        SELECT name, cron, every, tz, command, queue, priority, timeout, max_retries, added_at, last_tick
        FROM queuectl_schedule ORDER BY name COLLATE "C"
        """
    }

    /// Removes the schedule `name` (its jobs stay); returns its name when there was one.
    static func deleteSchedule(_ name: ScheduleName) -> PostgresQuery {
        "DELETE FROM queuectl_schedule WHERE name = \(name.rawValue) RETURNING name"
    }

    /// Moves the schedule's last tick to `tick` (milliseconds) only if it is unset or earlier, returning its name
    /// when it moved. A concurrent firer of the same tick waits on the row's lock and, once the first commits,
    /// re-checks the guard on the new row (READ COMMITTED) and changes nothing.
    static func advanceScheduleTick(_ name: ScheduleName, to tick: Int64, job: JobID) -> PostgresQuery {
        """
        UPDATE queuectl_schedule SET last_tick = \(tick), last_job = \(job.rawValue)
        WHERE name = \(name.rawValue) AND (last_tick IS NULL OR last_tick < \(tick))
        RETURNING name
        """
    }

    /// Marks where a tick's enqueue starts, so a taken job id undoes only the enqueue, not the advanced tick.
    static func scheduleTickSavepoint() -> PostgresQuery {
        "SAVEPOINT queuectl_schedule_tick"
    }

    /// Undoes a failed enqueue of a tick's job back to `scheduleTickSavepoint()`.
    static func rollbackToScheduleTickSavepoint() -> PostgresQuery {
        "ROLLBACK TO SAVEPOINT queuectl_schedule_tick"
    }
}
