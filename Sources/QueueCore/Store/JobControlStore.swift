import Foundation

/// The writes of a person's control over jobs that exist (`remove`, `restart`, `promote`, `purge`) and of
/// retention. Both stores conform; it is a protocol of its own so that the store seam (`JobStore`) and this
/// family could grow apart while they were written, and may be folded into `JobStore` later.
///
/// The core decides (`JobAction`, `PurgeSelection`, `RetentionPolicy`); the store makes each call atomic: it
/// reads the jobs' states under the lock it then writes under, so a job that changes state between the
/// check and the write is never touched, and deletes a job's stored log (`JobLogStore`) with its row.
public protocol JobControlStore: JobStore {
    /// Applies `action` to the jobs `ids` (full ids, no repeats) in one transaction, all-or-nothing: it
    /// reads each job's state under lock and asks `action.check`; the first id (in the given order) that
    /// is missing throws `jobNotFound`, the first refused throws `actionRefused`, and nothing changes.
    ///
    /// - `remove`: deletes the jobs (and their stored logs); returns them as they were.
    /// - `restart`: `pending`, `attempts` and `snoozes` 0, due at `now`, `worker` cleared; `exit_code`,
    ///   `last_error`, `started_at` and `finished_at` stay as the history of the last run (as `dlq retry`).
    /// - `promote`: due at `now` (`run_at = min(run_at, now)`: one already due keeps its place).
    ///
    /// Returns the jobs after the change, in the order of `ids`. Wakes idle workers when jobs became due.
    func apply(_ action: JobAction, to ids: [JobID], now: Date) async throws -> [Job]

    /// Deletes at most `limit` jobs that `selection` picks at `now` (their `updated_at` older than
    /// `selection.cutoff(now:)`), with their stored logs, in one short transaction, and returns their ids.
    /// Fewer than `limit` means none was left (at that moment). Concurrent calls never delete a job twice and
    /// do not wait for each other's rows.
    func purgeJobs(_ selection: PurgeSelection, now: Date, limit: Int) async throws -> [JobID]

    /// The ids of the jobs `purgeJobs` would delete at `now`, without deleting any (`purge --dry-run`).
    func purgeableJobIDs(_ selection: PurgeSelection, now: Date) async throws -> [JobID]

    /// Takes the turn of the periodic task named `task` (e.g. retention) when its last turn, taken by any
    /// process on any host sharing the store, began at least `interval` seconds before `now`, or none was
    /// taken; records `now` as the new turn and returns true. Of several callers at once, one wins.
    func takeTurn(of task: String, now: Date, interval: TimeInterval) async throws -> Bool
}
