import Foundation

/// A stored job row, read by column name (`JobColumn`). Each store wraps its driver's row in one and
/// `Job(row:)` maps it, so the row-to-job mapping (and its check of the state) is written once.
public protocol JobRow {
    /// A text column that is never NULL.
    func text(_ column: JobColumn) throws -> String
    /// A text column that may be NULL.
    func optionalText(_ column: JobColumn) throws -> String?
    /// An integer column that is never NULL.
    func integer(_ column: JobColumn) throws -> Int64
    /// An integer column that may be NULL.
    func optionalInteger(_ column: JobColumn) throws -> Int64?
    /// A boolean column.
    func flag(_ column: JobColumn) throws -> Bool
    /// A list of exit codes (`no_retry_exit_codes`), however the store keeps it.
    func exitCodes(_ column: JobColumn) throws -> [Int32]
    /// A list of job ids (`after`), however the store keeps it.
    func jobIDs(_ column: JobColumn) throws -> [JobID]
}

extension Job {
    /// The job `row` holds. Throws `operationFailed` for a state this version does not know or a row that
    /// cannot be read (a database written by something else).
    public init(row: some JobRow) throws(QueueError) {
        do {
            let stateText = try row.text(.state)
            guard let state = JobState(rawValue: stateText) else {
                throw QueueError.operationFailed("queue database holds a job in unknown state '\(stateText)'")
            }
            func int(_ column: JobColumn) throws -> Int { Int(truncatingIfNeeded: try row.integer(column)) }
            func instant(_ column: JobColumn) throws -> Date { Timestamp.date(milliseconds: try row.integer(column)) }
            self.init(
                id: JobID(trusted: try row.text(.id)),
                command: try row.text(.command),
                maxRetries: try int(.maxRetries),
                priority: try int(.priority),
                runAt: try instant(.runAt),
                timeout: try int(.timeout),
                queue: try row.text(.queue),
                state: state,
                attempts: try int(.attempts),
                exitCode: try row.optionalInteger(.exitCode).map { Int32(truncatingIfNeeded: $0) },
                lastError: try row.optionalText(.lastError),
                createdAt: try instant(.createdAt),
                updatedAt: try instant(.updatedAt),
                startedAt: try row.optionalInteger(.startedAt).map(Timestamp.date(milliseconds:)),
                finishedAt: try row.optionalInteger(.finishedAt).map(Timestamp.date(milliseconds:)),
                worker: try row.optionalText(.worker),
                lastWorker: try row.optionalText(.lastWorker),
                timeoutFromConfig: try row.flag(.timeoutFromConfig),
                noRetryExitCodes: try row.exitCodes(.noRetryExitCodes),
                snoozes: try int(.snoozes),
                uniqueKey: try row.optionalText(.uniqueKey),
                after: try row.jobIDs(.after))
        } catch let error as QueueError {
            throw error
        } catch {
            throw QueueError.operationFailed("queue database holds an unreadable job row: \(String(reflecting: error))")
        }
    }
}
