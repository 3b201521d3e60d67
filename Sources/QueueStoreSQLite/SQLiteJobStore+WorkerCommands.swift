import GRDB
import QueueCore

extension SQLiteJobStore {
    /// Reads only the rows of `workers`. A command this version does not know reads as `run`, as
    /// `WorkerRecord(sqliteRow:)` reads it.
    public func commands(ofWorkers workers: [String]) async throws -> [WorkerCommand] {
        guard !workers.isEmpty else { return [] }
        return try await read { db in
            try Self.rows(db, SQLiteSQL.workerCommands(workers)).map { row in
                let text: String = try row.decode(forColumn: "command")
                return WorkerCommand(rawValue: text) ?? .run
            }
        }
    }
}
