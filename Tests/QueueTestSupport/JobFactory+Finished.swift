import Foundation
import QueueCore

/// A job that ended in `state` (a finished one: completed or dead) at `finishedAt`, as a store holds it after
/// its one run, ready to `enqueue` as a fixture: jobs that finished long ago, without running them.
public func makeFinishedJob(
    _ id: String, state: JobState = .completed, finishedAt: Date = testEpoch, queue: String = Job.defaultQueue
) -> Job {
    let finished = Timestamp.date(milliseconds: Timestamp.milliseconds(finishedAt))
    var job = makeJob(id, queue: queue, createdAt: finished.addingTimeInterval(-1))
    job.state = state
    job.attempts = 1
    job.exitCode = state == .completed ? 0 : 3
    job.lastError = state == .completed ? nil : "exited with code 3"
    job.startedAt = finished.addingTimeInterval(-0.5)
    job.finishedAt = finished
    job.updatedAt = finished
    return job
}

/// `count` finished jobs named `<prefix>-<n>` (n from 1), all in `state`, finished at `finishedAt`.
public func makeFinishedJobs(
    _ count: Int, prefix: String, state: JobState = .completed, finishedAt: Date = testEpoch
) -> [Job] {
    (0..<max(count, 0)).map { makeFinishedJob("\(prefix)-\($0 + 1)", state: state, finishedAt: finishedAt) }
}
