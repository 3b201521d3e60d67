import Foundation
import QueueCore

/// `queue list/pause/resume/limit`, for the CLI and the dashboard alike.
extension Operations {
    /// The store's queue settings, or `queuesUnsupported` for a store without them.
    private var queueStore: any QueueControlStore {
        get throws(QueueError) {
            guard let queues = store as? any QueueControlStore else { throw QueueError.queuesUnsupported }
            return queues
        }
    }

    /// Every queue that has jobs or settings, by name, as `queue list --json` and `GET /api/queues` show it.
    public func queues() async throws -> [QueueDocument] {
        try await queueStore.queues().map(QueueDocument.init(queue:))
    }

    /// Pauses the `selection` (`QueueSelection.parse`) when `paused` (workers claim nothing more from them;
    /// running jobs finish; enqueue still works), else resumes it. Returns the names paused or resumed.
    public func setPaused(_ paused: Bool, queues selection: QueueSelection) async throws -> [String] {
        try await queueStore.setPaused(paused, queues: selection, now: clock.now())
    }

    /// Sets the concurrency limit of `queue` to `limit` (0: none), both checked here: a bad queue name or limit
    /// is a usage error and changes nothing.
    public func limitQueue(_ queue: String, to limit: Int) async throws {
        guard JobSpec.isValidQueueName(queue) else { throw JobSpec.invalidQueueName(queue) }
        let limit = try QueueLimit.validated(limit)
        try await queueStore.setLimit(limit, queue: queue, now: clock.now())
    }
}
