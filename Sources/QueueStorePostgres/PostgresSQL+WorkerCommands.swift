import PostgresNIO

extension PostgresSQL {
    /// The commands of the registered workers among `ids`, by the primary key (one row each, no other row read).
    static func workerCommands(_ ids: [String]) -> PostgresQuery {
        "SELECT command FROM queuectl_worker WHERE id = ANY(\(ids)::text[])"
    }
}
