import PostgresNIO
import QueueCore

extension PostgresSQL {
    /// The condition of the partial unique index on `unique_key` (migration 14), and the conflict target of
    /// the enqueue insert: a key is held by a job in one of `UniqueKey.holdingStates`.
    static let uniqueKeyHeld =
        "unique_key IS NOT NULL AND state IN (\(UniqueKey.holdingStates.map(\.sqlLiteral).joined(separator: ", ")))"

    /// The jobs holding any of `keys` now (one per key at most: the index guarantees it).
    static func uniqueKeyHolders(_ keys: [String]) -> PostgresQuery {
        """
        SELECT \(unescaped: jobColumns) FROM queuectl_job
        WHERE unique_key = ANY(\(keys)::text[]) AND \(unescaped: uniqueKeyHeld)
        """
    }
}
