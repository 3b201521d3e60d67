import PostgresNIO
import QueueCore

extension PostgresJobStore {
    /// Reads only the rows of `workers`. A command this version does not know reads as `run`, as
    /// `WorkerRecord(postgresRow:)` reads it.
    public func commands(ofWorkers workers: [String]) async throws -> [WorkerCommand] {
        guard !workers.isEmpty else { return [] }
        return try await rows(PostgresSQL.workerCommands(workers)).map { row throws(QueueError) in
            let text = try decode(row, String.self)
            return WorkerCommand(rawValue: text) ?? .run
        }
    }
}
