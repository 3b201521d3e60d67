import GRDB
import QueueCore

extension SQLiteSQL {
    /// The condition of the partial unique index on `unique_key` (migration 14), and the conflict target of
    /// the enqueue insert: a key is held by a job in one of `UniqueKey.holdingStates`.
    static let uniqueKeyHeld =
        "unique_key IS NOT NULL AND state IN (\(UniqueKey.holdingStates.map(\.sqlLiteral).joined(separator: ", ")))"

    /// The job holding `key` now (at most one: the index guarantees it).
    static func uniqueKeyHolder(_ key: String) -> SQL {
        "SELECT \(sql: jobColumns) FROM queuectl_job WHERE unique_key = \(key) AND \(sql: uniqueKeyHeld)"
    }
}
