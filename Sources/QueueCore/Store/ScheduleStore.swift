import Foundation

/// A store that keeps schedules (`schedule add/list/remove`) and lets any worker fire their ticks. An
/// optional power beside `JobStore`, as `JobLogStore` is: operations reach it with `store as? any ScheduleStore`.
///
/// The core decides which tick is due (`ScheduleRecord.dueTick(now:)`) and builds its job; the store only makes
/// the firing atomic: one transaction advances the schedule's last tick with a guarded update (only to a later
/// tick) and enqueues the tick's job, so however many workers on however many hosts fire the same tick, exactly
/// one job results. No leader and no lock server: the row's own update decides.
public protocol ScheduleStore: Sendable {
    /// Adds `schedule`. A schedule of that name exists already → `QueueError.scheduleExists` (exit 1), nothing changed.
    func addSchedule(_ schedule: ScheduleRecord) async throws
    /// Every schedule, by name.
    func schedules() async throws -> [ScheduleRecord]
    /// Removes the schedule `name` (its jobs stay). None of that name → `QueueError.scheduleNotFound` (exit 1).
    func removeSchedule(named name: ScheduleName) async throws
    /// Fires `tick` of the schedule `name`: in one transaction, moves its last tick to `tick` if it is earlier (or
    /// unset) and, if it moved, enqueues `job` (the tick's job, `ScheduleRecord.jobSpec(for:)` resolved) and wakes
    /// workers as any enqueue does. A job id that is taken already (a user enqueued `NAME.<tick>` themselves)
    /// leaves that job alone: the tick still counts as fired.
    func fireScheduleTick(_ tick: ScheduleTick, of name: ScheduleName, job: Job) async throws -> ScheduleFiring
}
