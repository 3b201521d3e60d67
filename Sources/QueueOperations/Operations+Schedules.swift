import Foundation
import QueueCore

/// `schedule add/list/remove`, for the CLI and the dashboard alike.
extension Operations {
    /// The schedule a `schedule add` request (the command's flags, or `POST /api/schedules`'s body) describes,
    /// checked before any store is opened: a valid name, exactly one of `cron` and `every`, a valid expression or
    /// interval (at least 1 s), a known zone (default UTC). Every mistake is a usage error (exit 2, 400) in one line.
    public static func schedule(_ request: ScheduleRequest, addedAt: Date) throws(QueueError) -> ScheduleRecord {
        let scheduleName = try ScheduleName(request.name)
        let zone = request.timeZone ?? "UTC"
        let spec: ScheduleSpec
        let spelling = request.spelling
        switch (request.cron, request.every) {
        case (let cron?, nil): spec = try ScheduleSpec(cron: cron, timeZone: zone)
        case (nil, let every?): spec = try ScheduleSpec(every: every, timeZone: zone, option: spelling.name("every"))
        case (.some, .some): throw .invalidInput("give either \(spelling.name("cron")) or \(spelling.name("every")), not both")
        case (nil, nil):
            throw .invalidInput(
                "say when the schedule runs: \(spelling.example("cron", "EXPR", quoted: true)) or \(spelling.example("every", "DURATION"))")
        }
        var job = request.job
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

    /// Adds `schedule` (from `schedule(_:addedAt:)`) and answers its document as `schedules()` would show it now;
    /// a taken name is `scheduleExists` (exit 1, 409), nothing changed.
    @discardableResult
    public func addSchedule(_ schedule: ScheduleRecord) async throws -> ScheduleDocument {
        try await scheduleStore.addSchedule(schedule)
        return ScheduleDocument(schedule: schedule, now: clock.now())
    }

    /// Every schedule by name, as `schedule list --json` and the dashboard show them now (next runs from `clock`).
    public func schedules() async throws -> [ScheduleDocument] {
        let now = clock.now()
        return try await scheduleStore.schedules().map { ScheduleDocument(schedule: $0, now: now) }
    }

    /// Removes the schedule `name` (`scheduleNotFound` for an unknown one: exit 1, 404). Jobs it enqueued stay.
    public func removeSchedule(named name: ScheduleName) async throws {
        try await scheduleStore.removeSchedule(named: name)
    }
}
