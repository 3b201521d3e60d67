import Foundation
import GRDB
import QueueCore

/// The schedule statements (migration 013), named as in `PostgresSQL+Schedules.swift`.
extension SQLiteSQL {
    /// Adds `schedule` unless its name is taken (then it changes nothing: the store reports the name).
    static func insertSchedule(_ schedule: ScheduleRecord) -> SQL {
        """
        INSERT INTO queuectl_schedule (name, cron, every, tz, command, queue, priority, timeout, max_retries, added_at)
        VALUES (\(schedule.name.rawValue), \(schedule.spec.cronExpression), \(schedule.spec.everySeconds),
            \(schedule.spec.timeZoneIdentifier), \(schedule.job.command), \(schedule.job.queue), \(schedule.job.priority),
            \(schedule.job.timeout), \(schedule.job.maxRetries), \(Timestamp.milliseconds(schedule.addedAt)))
        ON CONFLICT (name) DO NOTHING
        """
    }

    /// Every schedule, by name.
    static func schedules() -> SQL {
        """
        SELECT name, cron, every, tz, command, queue, priority, timeout, max_retries, added_at, last_tick
        FROM queuectl_schedule ORDER BY name
        """
    }

    /// Removes the schedule `name` (its jobs stay).
    static func deleteSchedule(_ name: ScheduleName) -> SQL {
        "DELETE FROM queuectl_schedule WHERE name = \(name.rawValue)"
    }

    /// Moves the schedule's last tick to `tick` (milliseconds) only if it is unset or earlier: of several
    /// firers of one tick, exactly one changes the row, and only that one enqueues the tick's job.
    static func advanceScheduleTick(_ name: ScheduleName, to tick: Int64, job: JobID) -> SQL {
        """
        UPDATE queuectl_schedule SET last_tick = \(tick), last_job = \(job.rawValue)
        WHERE name = \(name.rawValue) AND (last_tick IS NULL OR last_tick < \(tick))
        """
    }
}
