/// An optional power: a store shared by several hosts keeps a copy of each job's captured output, so
/// `logs`, `logs --follow` and the dashboard show it on every host, not only on the one that ran the job.
/// Workers append what a run writes to its log file as it runs; readers ask the store instead of the
/// local file. A store all of whose users share one host (SQLite) does not need it.
///
/// A run's last output reaches such a store as `RunResult.logTail`, with the run's result: a conforming store
/// must append it there (see `JobStore.recordResult`), or that output is missing from the stored log.
public protocol JobLogStore: Sendable {
    /// Appends `bytes` to the stored log of job `id`.
    func appendLog(_ bytes: [UInt8], to id: JobID) async throws
    /// A part of the stored log of job `id` (empty, size 0, for a job that has written nothing).
    func log(of id: JobID, _ range: LogRange) async throws -> LogSlice
}

/// Which part of a log to read.
public enum LogRange: Sendable, Equatable {
    /// Everything from this byte offset on (`logs --follow` asks for what came after its last read).
    case from(Int)
    /// The last this many bytes (the dashboard's log tail).
    case tail(Int)
}

/// Bytes of a log and where they sit in it.
public struct LogSlice: Sendable, Equatable {
    /// The bytes read.
    public var bytes: [UInt8]
    /// The offset of the first byte read.
    public var offset: Int
    /// The whole log's size in bytes.
    public var size: Int

    public init(bytes: [UInt8], offset: Int, size: Int) {
        self.bytes = bytes
        self.offset = offset
        self.size = size
    }
}
