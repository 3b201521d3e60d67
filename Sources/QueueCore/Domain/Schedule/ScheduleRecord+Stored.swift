import Foundation

extension ScheduleRecord {
    /// The schedule a store row holds (both stores read their columns by name and call this, so the mapping is
    /// written once). Times are milliseconds since 1970. A row this version cannot read (say, a zone the
    /// system's time zone data no longer has) is `operationFailed` naming the schedule.
    public init(
        storedName name: String, cron: String?, every: Int64?, timeZone: String, command: String, queue: String,
        priority: Int, timeout: Int?, maxRetries: Int?, addedAt: Int64, lastTick: Int64?
    ) throws(QueueError) {
        let spec: ScheduleSpec
        let job: JobSpec
        do {
            if let cron {
                spec = try ScheduleSpec(cron: cron, timeZone: timeZone)
            } else {
                spec = try ScheduleSpec(everySeconds: every ?? 0, timeZone: timeZone)
            }
            job = try JobSpec(command: command, maxRetries: maxRetries, priority: priority, timeout: timeout, queue: queue)
        } catch {
            throw .operationFailed("queue database holds an unreadable schedule '\(name)': \(error)")
        }
        self.init(
            name: ScheduleName(trusted: name), spec: spec, job: job, addedAt: Timestamp.date(milliseconds: addedAt),
            lastTick: lastTick.map(Timestamp.date(milliseconds:)))
    }
}
