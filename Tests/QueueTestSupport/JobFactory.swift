import Foundation
import QueueCore

/// A fixed instant tests start from (2027-01-15T08:00:00Z), so runs are reproducible.
public let testEpoch = Date(timeIntervalSince1970: 1_800_000_000)

/// A pending job as `JobSpec.resolved` would build it (instants in whole milliseconds, as stores keep them),
/// with every field settable.
public func makeJob(
    _ id: String = JobID.generate().rawValue, command: String = "true", maxRetries: Int = 3, priority: Int = 0,
    runAt: Date? = nil, timeout: Int = 0, queue: String = Job.defaultQueue, createdAt: Date = testEpoch
) -> Job {
    let created = Timestamp.date(milliseconds: Timestamp.milliseconds(createdAt))
    return Job(
        id: JobID(trusted: id), command: command, maxRetries: maxRetries, priority: priority,
        runAt: Timestamp.date(milliseconds: Timestamp.milliseconds(runAt ?? createdAt)), timeout: timeout, queue: queue,
        createdAt: created)
}

/// `count` pending jobs named `<prefix>-<n>` (n from 1), all due at `createdAt`.
public func makeJobs(_ count: Int, prefix: String = "job", createdAt: Date = testEpoch) -> [Job] {
    (0..<max(count, 0)).map { $0 + 1 }.map { makeJob("\(prefix)-\($0)", command: "echo \($0)", createdAt: createdAt) }
}

/// A spec for `command` with optional fields, as the CLI's flags would build it.
public func makeSpec(
    _ command: String = "true", id: String? = nil, maxRetries: Int? = nil, priority: Int = 0,
    schedule: JobSpec.Schedule = .immediately, timeout: Int? = nil, queue: String? = nil
) throws -> JobSpec {
    try JobSpec(
        id: id, command: command, maxRetries: maxRetries, priority: priority, schedule: schedule, timeout: timeout,
        queue: queue)
}
