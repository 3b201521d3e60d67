import Foundation
import QueueCore

/// `schedule add/list/remove`, for the CLI and the dashboard alike.
extension Operations {
    /// The schedule `schedule add` describes, checked before any store is opened: a valid name, exactly one of
    /// `cron` and `every`, a valid expression or interval (at least 1 s), a known zone (default UTC). Every
    /// mistake is a usage error (exit 2) in one line.
    public static func schedule(
        name: String, cron: String?, every: String?, timeZone: String?, job: JobSpec, addedAt: Date
    ) throws(QueueError) -> ScheduleRecord {
        let scheduleName = try ScheduleName(name)
        let zone = timeZone ?? "UTC"
        let spec: ScheduleSpec
        switch (cron, every) {
        case (let cron?, nil): spec = try ScheduleSpec(cron: cron, timeZone: zone)
        case (nil, let every?): spec = try ScheduleSpec(every: every, timeZone: zone)
        case (.some, .some): throw .invalidInput("give either --cron or --every, not both")
        case (nil, nil): throw .invalidInput("say when the schedule runs: --cron 'EXPR' or --every DURATION")
        }
        var job = job
        job.id = nil
        job.schedule = .immediately
        // Whole milliseconds, as stores keep them, so the record equals what is read back.
        let added = Timestamp.date(milliseconds: Timestamp.milliseconds(addedAt))
        return ScheduleRecord(name: scheduleName, spec: spec, job: job, addedAt: added)
    }

    /// The store's schedules, or `schedulesUnsupported` for a store without them.
    private var scheduleStore: any ScheduleStore {
        get throws(QueueError) {
            guard let schedules = store as? any ScheduleStore else { throw QueueError.schedulesUnsupported }
            return schedules
        }
    }

    /// Adds `schedule` (from `schedule(name:…)`); a taken name is `scheduleExists` (exit 1).
    public func addSchedule(_ schedule: ScheduleRecord) async throws {
        try await scheduleStore.addSchedule(schedule)
    }

    /// Every schedule by name, as `schedule list --json` and the dashboard show them now (next runs from `clock`).
    public func schedules() async throws -> [ScheduleDocument] {
        let now = clock.now()
        return try await scheduleStore.schedules().map { ScheduleDocument(schedule: $0, now: now) }
    }

    /// Removes the schedule `name` (`scheduleNotFound` for an unknown one). Jobs it enqueued stay.
    public func removeSchedule(named name: ScheduleName) async throws {
        try await scheduleStore.removeSchedule(named: name)
    }
}
