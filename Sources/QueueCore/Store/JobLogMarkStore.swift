/// An optional power of a store whose logs are the host's files (SQLite): it keeps the header and end line
/// of runs that wrote no output (`LogMark`), so such runs create no file and `logs` still tells every run.
/// A store that keeps whole logs (`JobLogStore`) appends those lines to the stored log instead.
///
/// A run's mark reaches such a store as `RunResult.silentRunLog`, with the run's result: a conforming store
/// writes it in the transaction that records the result (see `JobStore.recordResult`). A job's marks go
/// when the job is deleted.
public protocol JobLogMarkStore: Sendable {
    /// The marks of job `id`, in the order they were written (empty when it has none).
    func logMarks(of id: JobID) async throws -> [LogMark]
    /// Adds `mark` to job `id`'s log (a run whose end is not written with a result: put back by a stop,
    /// or ended by recovery). Nothing happens when the job no longer exists.
    func appendLogMark(_ mark: LogMark, to id: JobID) async throws
}
