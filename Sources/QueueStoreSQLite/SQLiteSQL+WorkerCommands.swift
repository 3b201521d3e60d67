import GRDB

extension SQLiteSQL {
    /// The commands of the registered workers among `ids`, by the primary key (one row each, no other row read).
    static func workerCommands(_ ids: [String]) -> SQL {
        "SELECT command FROM queuectl_worker WHERE id IN \(ids)"
    }
}
