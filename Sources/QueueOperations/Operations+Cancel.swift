import Foundation
import QueueCore

extension Operations {
    /// How long a cancelled run's process group gets between SIGTERM and SIGKILL when `--grace` is not given.
    public static let defaultCancelGrace: Duration = .seconds(10)

    /// `cancel ID...`: resolves the ids (unique prefixes accepted; an id given twice, or two
    /// naming one job, is `invalidInput` — see `JobIDResolver.resolveDistinct`) and cancels the jobs
    /// all-or-nothing: pending and failed ones at once, processing ones through the worker holding them,
    /// which stops the run (SIGTERM to its process group, SIGKILL after `grace`). Throws `jobNotFound`,
    /// `ambiguousJobID` or `jobNotCancellable` for the first id that cannot be cancelled, changing nothing.
    /// Returns the jobs as they are right afterwards (a running one still `processing`).
    public func cancel(_ given: [JobID], grace: Duration) async throws -> [Job] {
        let ids = try await JobIDResolver(store: store).resolveDistinct(given)
        return try await store.cancelJobs(ids, grace: grace, now: clock.now())
    }

    /// `cancel --wait`: waits until every run among `cancelled` (as `cancel` returned them) has stopped, and
    /// returns the jobs as they ended. A run whose process exited on its own before its worker could signal it
    /// keeps a last end (`completed` for exit 0, `dead`; see `cancelNote`); one that would have run again
    /// (a retry, a snooze, a release, a lost worker) is written `cancelled` by the store under the same guard
    /// (`RunResult.yieldsToCancelRequest`), so there is nothing to cancel twice here.
    public func waitForCancelledRuns(_ cancelled: [Job]) async throws -> [Job] {
        var jobs = cancelled
        var waiting = Set(jobs.indices.filter { jobs[$0].state == .processing })
        var delay = Duration.milliseconds(20)
        while true {
            for index in waiting {
                let run = cancelled[index]
                guard let now = try await store.job(run.id) else {
                    waiting.remove(index)
                    continue
                }
                // Still the same run: keep waiting. Anything else is that run's end (or a job removed or
                // restarted meanwhile, whose new run nobody asked to stop).
                if now.state == .processing && now.attempts == run.attempts { continue }
                jobs[index] = now
                waiting.remove(index)
            }
            if waiting.isEmpty { return jobs }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .milliseconds(200))
        }
    }

    /// What `cancel --wait` says on stderr about a job it asked to cancel that ended otherwise: its run had
    /// already ended on its own before the signal. Nil for a cancelled job (or one still running).
    public static func cancelNote(for job: Job) -> String? {
        switch job.state {
        case .completed: "job '\(job.id)' had already completed before its run could be stopped; it stays completed"
        case .dead: "job '\(job.id)' had already failed for the last time before its run could be stopped; it stays dead"
        default: nil
        }
    }
}
