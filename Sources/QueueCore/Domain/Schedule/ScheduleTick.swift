import Foundation

/// One firing of a schedule: the instant it stands for, and the job that carries it. A worker asks
/// `due(...)` which tick to enqueue; the store then advances the schedule's last tick with a guarded
/// update in the same transaction as the enqueue, so however many workers ask, one job results.
public struct ScheduleTick: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// The instant the tick stands for (whole seconds).
    public let instant: Date

    /// The characters a tick adds to its schedule's name to make the job id: `.` and `YYYYMMDDTHHMMSSZ`.
    public static let jobIDSuffixLength = 17

    /// The tick at `instant` (a tick of some schedule: whole seconds).
    public init(instant: Date) {
        self.instant = instant
    }

    /// The tick to enqueue now, if any: the latest tick at or before `now`, provided it is later than the
    /// schedule's last enqueued tick (`lastTick`), or, before its first, later than when it was added
    /// (`addedAt`: a schedule added mid-month does not enqueue the 1st's tick). After downtime that is
    /// only the latest missed tick, never one per missed tick; a tick already enqueued is not due again.
    public static func due(for spec: ScheduleSpec, lastTick: Date?, addedAt: Date, now: Date) -> ScheduleTick? {
        guard let latest = spec.latestTick(atOrBefore: now), latest > (lastTick ?? addedAt) else { return nil }
        return ScheduleTick(instant: latest)
    }

    /// When the schedule will next enqueue a job, as `schedule list` shows it: the tick due now if one
    /// is waiting for a worker, else the first tick after `now`.
    public static func nextRun(for spec: ScheduleSpec, lastTick: Date?, addedAt: Date, now: Date) -> Date {
        due(for: spec, lastTick: lastTick, addedAt: addedAt, now: now)?.instant ?? spec.nextTick(after: now)
    }

    /// The tick as the job id writes it, in UTC: `20261206T050000Z`.
    public var label: String {
        Timestamp.format(instant).filter { $0 != "-" && $0 != ":" }
    }

    /// The id of the job this tick enqueues for `schedule`: `NAME.20261206T050000Z`. Two workers that
    /// compute the same tick compute the same id.
    public func jobID(for schedule: ScheduleName) -> JobID {
        JobID(trusted: schedule.rawValue + "." + label)
    }

    public var description: String { label }

    public static func < (lhs: ScheduleTick, rhs: ScheduleTick) -> Bool { lhs.instant < rhs.instant }
}
