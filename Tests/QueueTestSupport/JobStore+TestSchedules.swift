import Foundation
import QueueCore

extension JobStore {
    /// Adds the schedule `name` (`spec`, running `command` in `queue`, added at `addedAt`) to this store, which
    /// must keep schedules (both stores do), and returns the store's schedule side.
    @discardableResult
    public func addTestSchedule(
        _ name: String, spec: ScheduleSpec, command: String, queue: String? = nil, addedAt: Date
    ) async throws -> any ScheduleStore {
        guard let schedules = self as? any ScheduleStore else { throw QueueError.schedulesUnsupported }
        try await schedules.addSchedule(
            ScheduleRecord(
                name: try ScheduleName(name), spec: spec, job: try JobSpec(command: command, queue: queue), addedAt: addedAt))
        return schedules
    }
}
