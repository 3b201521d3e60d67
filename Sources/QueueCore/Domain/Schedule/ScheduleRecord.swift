import Foundation

/// A schedule as a store keeps it: its name, when it fires, the job each tick enqueues, when it was added
/// and the last tick it enqueued. The decisions about it (which tick is due, what runs next, which job a
/// tick makes) are made here, so every store and surface makes them alike.
public struct ScheduleRecord: Sendable, Equatable {
    /// The schedule's unique name.
    public var name: ScheduleName
    /// When it fires.
    public var spec: ScheduleSpec
    /// The job every tick enqueues: command, queue, priority, timeout and max retries (its id and run time
    /// come from the tick).
    public var job: JobSpec
    /// When it was added: ticks before this are never enqueued.
    public var addedAt: Date
    /// The last tick a worker enqueued, nil before the first.
    public var lastTick: Date?

    /// A schedule with these parts; `lastTick` is nil until its first tick is enqueued.
    public init(name: ScheduleName, spec: ScheduleSpec, job: JobSpec, addedAt: Date, lastTick: Date? = nil) {
        self.name = name
        self.spec = spec
        self.job = job
        self.addedAt = addedAt
        self.lastTick = lastTick
    }

    /// The tick to enqueue at `now`, if any (see `ScheduleTick.due`).
    public func dueTick(now: Date) -> ScheduleTick? {
        ScheduleTick.due(for: spec, lastTick: lastTick, addedAt: addedAt, now: now)
    }

    /// When the next job will be enqueued, as seen at `now` (see `ScheduleTick.nextRun`).
    public func nextRun(now: Date) -> Date {
        ScheduleTick.nextRun(for: spec, lastTick: lastTick, addedAt: addedAt, now: now)
    }

    /// The job `tick` enqueues: this schedule's job, named `NAME.<tick>`, to run at once.
    public func jobSpec(for tick: ScheduleTick) -> JobSpec {
        var spec = job
        spec.id = tick.jobID(for: name)
        spec.schedule = .immediately
        return spec
    }

    /// The id of the job the last tick enqueued, nil before the first.
    public var lastJob: JobID? {
        lastTick.map { ScheduleTick(instant: $0).jobID(for: name) }
    }
}
