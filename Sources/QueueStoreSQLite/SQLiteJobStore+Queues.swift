import Foundation
import GRDB
import QueueCore

/// Queue settings on SQLite: each change is one IMMEDIATE transaction; the claim enforces them in its own
/// (`SQLiteSQL.heldQueues`). A change wakes idle workers: a resumed queue or a raised limit may have jobs to give.
extension SQLiteJobStore: QueueControlStore {
    public func queues() async throws -> [QueueRecord] {
        try await read { db in
            var queues: [String: QueueRecord] = [:]
            for row in try Self.rows(db, SQLiteSQL.queueStateCounts()) {
                let name: String = try row.decode(forColumn: "queue")
                let state: String = try row.decode(forColumn: "state")
                guard let state = JobState(rawValue: state) else { continue }
                queues[name, default: QueueRecord(name: name)].counts[state] = try row.decode(forColumn: "count")
            }
            for row in try Self.rows(db, SQLiteSQL.queueSettings()) {
                let name: String = try row.decode(forColumn: "name")
                queues[name, default: QueueRecord(name: name)].paused = try row.decode(forColumn: "paused")
                queues[name, default: QueueRecord(name: name)].limit = try row.decode(forColumn: "job_limit")
            }
            return queues.values.sorted { $0.name < $1.name }
        }
    }

    public func setPaused(_ paused: Bool, queues selection: QueueSelection, now: Date) async throws -> [String] {
        let nowMilliseconds = Self.milliseconds(now)
        let names = try await write { db in
            let names: [String]
            switch selection {
            case .named(let named): names = named
            case .all: names = try String.fetchAll(db.cachedStatement(literal: SQLiteSQL.existingQueueNames()))
            }
            for name in names {
                try Self.execute(db, SQLiteSQL.setQueuePaused(name, paused: paused, now: nowMilliseconds))
            }
            try Self.execute(db, SQLiteSQL.deleteDefaultQueueRows())
            return names.sorted()
        }
        // A resumed queue may have jobs to give at once.
        if !paused { wakeupDirectory.notify() }
        return names
    }

    public func setLimit(_ limit: Int, queue: String, now: Date) async throws {
        let nowMilliseconds = Self.milliseconds(now)
        try await write { db in
            try Self.execute(db, SQLiteSQL.setQueueLimit(queue, limit: limit, now: nowMilliseconds))
            try Self.execute(db, SQLiteSQL.deleteDefaultQueueRows())
        }
        wakeupDirectory.notify()
    }
}

extension SQLiteJobStore {
    /// The claim of `SQLiteSQL.claimJobs` for `workers`, repeated in the same transaction for the workers left
    /// without a job while the last round claimed some but not all: a limited queue's room can run out within
    /// one batch (`SQLiteSQL.dueWithinRoom` drops its extra rows), and the next round, seeing that queue full,
    /// gives those slots the other queues' jobs, as PostgreSQL's claim does in one call. A round that claims
    /// nothing ends it; with no queue limit stored there is one round.
    static func claimJobs(_ db: Database, for workers: [String], queues: [String], now: Int64) throws -> [Job] {
        var claimed: [Job] = []
        var waiting = workers
        let settings = try queueSettings(db)
        let queues = SQLiteClaimStatement.canonicalQueues(queues)
        while !waiting.isEmpty {
            let round = try claimRound(db, for: waiting, queues: queues, now: now, settings: settings)
            claimed += round
            guard settings == .some, !round.isEmpty, round.count < waiting.count else { break }
            for worker in round.compactMap(\.worker) {
                if let index = waiting.firstIndex(of: worker) { waiting.remove(at: index) }
            }
        }
        return claimed
    }

    /// Which queue settings are stored, read in the claim's transaction: without any, the claim leaves the queue
    /// table out altogether (`ClaimQueueParts`), so queues without settings are claimed as fast as before; with
    /// pauses only, it steps around the paused queues without counting any room.
    static func queueSettings(_ db: Database) throws -> SQLiteSQL.QueueSettingsPresence {
        let statement = try SQLiteDirectStatement(db, sql: SQLiteSQL.queueSettingsPresence)
        guard try statement.step(db) else { return .none }
        defer { statement.reset() }
        if statement.isNull(0) { return .none }
        return statement.integer(0) != 0 ? .some : .pausesOnly
    }
}
