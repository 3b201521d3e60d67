import Foundation

/// A store that keeps queues as rows (`queue list/pause/resume/limit`): a queue's `paused` flag and its
/// concurrency `limit`, stored so they hold across restarts, deploys and hosts. An operation family beside
/// `JobControlStore`, asked for with `store as? any QueueControlStore`.
///
/// Both settings are enforced by the store inside the claim's own statement or transaction (`JobStore.claimJobs`
/// and the claim of `recordResult`): a paused queue gives no job; a queue with limit N never has more than N jobs
/// processing at once over every worker and host, counting the jobs of a lost worker until they are recovered.
/// `nextDueTime` leaves such queues out, so idle workers do not wake for jobs they may not claim.
public protocol QueueControlStore: JobStore {
    /// Every queue that has jobs or settings, by name, with its jobs per state and its settings.
    func queues() async throws -> [QueueRecord]

    /// Sets `paused` on the `selection` in one transaction and returns the names it applied to, by name.
    /// A named queue without jobs or settings gets a row (the setting waits for its jobs); `.all` applies to the
    /// queues that exist at that moment.
    func setPaused(_ paused: Bool, queues selection: QueueSelection, now: Date) async throws -> [String]

    /// Sets the limit of `queue` (0: none), creating its row if needed. Jobs already processing beyond a
    /// lowered limit finish; no new one is claimed until the queue is below it.
    func setLimit(_ limit: Int, queue: String, now: Date) async throws
}
