import Foundation

/// The contract's JSON form of a schedule (`schedule list --json`, the dashboard API): `cron` is the
/// expression as written or null, `every` the interval in whole seconds or null, `tz` the zone's IANA
/// name, `timeout` and `max_retries` null when the config's default applies, times in UTC, and
/// `last_run_at`/`last_job` null until the first tick is enqueued.
public struct ScheduleDocument: Encodable, Sendable {
    /// The schedule to render.
    public let schedule: ScheduleRecord
    /// When it will next enqueue a job, as seen when the document was made.
    public let nextRunAt: Date

    /// The document of `schedule` as seen at `now` (which decides `next_run_at`).
    public init(schedule: ScheduleRecord, now: Date) {
        self.schedule = schedule
        self.nextRunAt = schedule.nextRun(now: now)
    }

    private enum CodingKeys: String, CodingKey {
        case name, cron, every, command, queue, priority, timeout, maxRetries = "max_retries", tz
        case nextRunAt = "next_run_at", lastRunAt = "last_run_at", lastJob = "last_job"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schedule.name.rawValue, forKey: .name)
        try container.encode(schedule.spec.cronExpression, forKey: .cron)
        try container.encode(schedule.spec.everySeconds, forKey: .every)
        try container.encode(schedule.job.command, forKey: .command)
        try container.encode(schedule.job.queue, forKey: .queue)
        try container.encode(schedule.job.priority, forKey: .priority)
        try container.encode(schedule.job.timeout, forKey: .timeout)
        try container.encode(schedule.job.maxRetries, forKey: .maxRetries)
        try container.encode(schedule.spec.timeZoneIdentifier, forKey: .tz)
        try container.encode(Timestamp.format(nextRunAt), forKey: .nextRunAt)
        try container.encode(schedule.lastTick.map(Timestamp.format), forKey: .lastRunAt)
        try container.encode(schedule.lastJob?.rawValue, forKey: .lastJob)
    }
}
