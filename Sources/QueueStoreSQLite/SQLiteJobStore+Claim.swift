import GRDB
import QueueCore

extension SQLiteJobStore {
    /// One round of `claimJobs(_:for:queues:now:)`: the claim statement of its shape with this claim's values
    /// (`SQLiteClaimStatement`), or the literal rendered for this claim when the shape has no usable statement.
    /// `queues` are `SQLiteClaimStatement.canonicalQueues`.
    static func claimRound(
        _ db: Database, for workers: [String], queues: [String], now: Int64,
        settings: SQLiteSQL.QueueSettingsPresence
    ) throws -> [Job] {
        let shape = SQLiteClaimStatement.Shape(workers: workers.count, queues: queues.count, settings: settings)
        guard let claim = try SQLiteClaimStatement.statement(for: shape, db) else {
            return try fetchJobs(db, SQLiteSQL.claimJobs(for: workers, queues: queues, now: now, queueSettings: settings))
        }
        let statement = try SQLiteDirectStatement(db, sql: claim.sql)
        claim.bind(to: statement, workers: workers, queues: queues, now: now)
        return try Job.decodeAll(statement, db, columns: claim.columns)
    }
}
