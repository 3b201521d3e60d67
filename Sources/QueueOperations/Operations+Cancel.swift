import Foundation
import QueueCore

extension Operations {
    /// How long a cancelled run's process group gets between SIGTERM and SIGKILL when `--grace` is not given.
    public static let defaultCancelGrace: Duration = .seconds(10)

    /// `cancel ID...`: resolves the ids (unique prefixes accepted, repeats counted once) and cancels the jobs
    /// all-or-nothing: pending and failed ones at once, processing ones through the worker holding them,
    /// which stops the run (SIGTERM to its process group, SIGKILL after `grace`). Throws `jobNotFound`,
    /// `ambiguousJobID` or `jobNotCancellable` for the first id that cannot be cancelled, changing nothing.
    /// Returns the jobs as they are right afterwards (a running one still `processing`).
    public func cancel(_ given: [JobID], grace: Duration) async throws -> [Job] {
        let ids = try await JobIDResolver(store: store).resolve(given)
        return try await store.cancelJobs(ids, grace: grace, now: clock.now())
    }

    /// `cancel --wait`: waits until every run among `cancelled` (as `cancel` returned them) has stopped, and
    /// returns the jobs as they ended. A run whose process exited on its own before its worker could signal it
    /// keeps its end (`completed` for exit 0; see `cancelNote`); if it failed and the job would run again
    /// (failed or snoozed), the job is cancelled now, as a waiting job, so a cancel never turns into a retry.
    public func waitForCancelledRuns(_ cancelled: [Job], grace: Duration) async throws -> [Job] {
        var jobs = cancelled
        var delay = Duration.milliseconds(20)
        while true {
            var running = false
            for index in jobs.indices where jobs[index].state == .processing {
                let run = jobs[index]
                guard let now = try await store.job(run.id) else { continue }
                switch now.state {
                case .processing where now.attempts == run.attempts:
                    running = true
                case .processing, .pending, .failed:
                    // The run ended without success before the signal, or after it but the job was claimed
                    // again meanwhile: cancel what the job is now (a new run is asked to stop in turn).
                    let again = try await store.cancelJobs([run.id], grace: grace, now: clock.now())
                    if let job = again.first {
                        jobs[index] = job
                        running = running || job.state == .processing
                    }
                default:
                    jobs[index] = now
                }
            }
            if !running { return jobs }
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
