/// What `ScheduleStore.fireScheduleTick` did.
public enum ScheduleFiring: Sendable, Equatable {
    /// This call moved the schedule's last tick and enqueued the tick's job, with this id.
    case enqueued(JobID)
    /// This call moved the last tick, but a job with the tick's id existed already (enqueued by a user): that job
    /// was left as it was and nothing was enqueued; the tick counts as fired.
    case jobIDTaken(JobID)
    /// Nothing changed: another firer advanced the schedule to this tick or a later one first, or the schedule
    /// was removed meanwhile.
    case alreadyFired
}
