import Foundation
import PostgresNIO
import QueueCore

/// Queue settings on PostgreSQL: each change is one transaction; the claim enforces them in its own statement
/// (migration 015's `queuectl_due_jobs`). A change wakes idle workers: a resumed queue or a raised limit may
/// have jobs to give at once.
extension PostgresJobStore: QueueControlStore {
    public func queues() async throws -> [QueueRecord] {
        var queues: [String: QueueRecord] = [:]
        for row in try await rows(PostgresSQL.queueStateCounts()) {
            let (name, stateName, count) = try decode(row, (String, String, Int64).self)
            guard let state = JobState(rawValue: stateName) else { continue }
            queues[name, default: QueueRecord(name: name)].counts[state] = Int(count)
        }
        for row in try await rows(PostgresSQL.queueSettings()) {
            let (name, paused, limit) = try decode(row, (String, Bool, Int64).self)
            queues[name, default: QueueRecord(name: name)].paused = paused
            queues[name, default: QueueRecord(name: name)].limit = Int(limit)
        }
        // Byte order, as SQLite sorts and as `schedule list` does.
        return queues.values.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    public func setPaused(_ paused: Bool, queues selection: QueueSelection, now: Date) async throws -> [String] {
        let logger = logger
        let milliseconds = Timestamp.milliseconds(now)
        let names = try await transaction { connection -> [String] in
            let names: [String]
            switch selection {
            case .named(let named):
                names = named
            case .all:
                names = try await Self.rows(PostgresSQL.existingQueueNames(), on: connection, logger: logger)
                    .map { try $0.decode(String.self) }
            }
            _ = try await Self.rows(
                PostgresSQL.setQueuesPaused(names, paused: paused, now: milliseconds), on: connection, logger: logger)
            _ = try await Self.rows(PostgresSQL.deleteDefaultQueueRows(), on: connection, logger: logger)
            return names
        }
        if !paused { await notify("queues") }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    public func setLimit(_ limit: Int, queue: String, now: Date) async throws {
        let logger = logger
        let milliseconds = Timestamp.milliseconds(now)
        try await transaction { connection in
            _ = try await Self.rows(
                PostgresSQL.setQueueLimit(queue, limit: limit, now: milliseconds), on: connection, logger: logger)
            _ = try await Self.rows(PostgresSQL.deleteDefaultQueueRows(), on: connection, logger: logger)
        }
        await notify("queues")
    }
}
