#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A job's captured output, read from where it is kept: the store, when it keeps logs (`JobLogStore`,
/// a store shared by several hosts), else the job's log file in this host's data directory.
public struct JobLog: Sendable {
    /// The store the job lives in.
    public let store: any JobStore
    /// This host's data directory.
    public let home: QueueHome

    public init(store: any JobStore, home: QueueHome) {
        self.store = store
        self.home = home
    }

    /// The part `range` of job `id`'s log (empty for a job that has run nothing): the store's copy when it keeps
    /// logs; else the job's log file, with the header and end line of every run that wrote no output (kept by
    /// the store as marks, `LogMark`) in their places.
    ///
    /// A running job whose run has written nothing yet shows that run's header at the end (`RunHeader`, the same
    /// bytes the run's worker writes later, to its file or with its result), as when every run began by writing it.
    public func read(_ id: JobID, _ range: LogRange) async throws -> LogSlice {
        guard let header = try await store.job(id).flatMap(RunHeader.init(runningJob:)),
            let written = try await sizeBeforeHeader(header, of: id)
        else { return try await readWritten(id, range) }
        let line = Array(header.text.utf8)
        let size = written + line.count
        let start =
            switch range {
            case .from(let offset): min(max(offset, 0), size)
            case .tail(let count): max(0, size - max(count, 0))
            }
        var bytes: [UInt8] = []
        if start < written {
            // Cut where the header search saw the log end, so a header written meanwhile is not shown twice.
            let slice = try await readWritten(id, .from(start))
            bytes = Array(slice.bytes.prefix(written - start))
        }
        bytes += line[max(0, start - written)...]
        return LogSlice(bytes: bytes, offset: start, size: size)
    }

    /// The most of a log's end searched for the running run's header: past it, a run is taken to have written it
    /// (a run that printed more than this; or, rarely, a silent run after one that did, shown without its header
    /// until it ends).
    static let headerSearchLimit = 64 * 1024

    /// The size of what job `id`'s runs have written, when the running run whose header is `header` has written
    /// nothing of its own yet (its header is not the last one in the log); nil when it has. Its end line is
    /// never taken for its start: that is written after its header (to the file), or with it (to the store),
    /// so a reader between the end line and the result finds the header.
    private func sizeBeforeHeader(_ header: RunHeader, of id: JobID) async throws -> Int? {
        let line = Array(header.text.utf8.dropLast())
        var window = 4096
        while true {
            let end = try await readWritten(id, .tail(window))
            if let last = RunHeader.lastHeader(in: end.bytes) { return last.elementsEqual(line) ? nil : end.size }
            if end.offset == 0 { return end.size }
            if window >= Self.headerSearchLimit { return nil }
            window *= 4
        }
    }

    /// The part `range` of what job `id`'s runs have written so far (see `read`).
    private func readWritten(_ id: JobID, _ range: LogRange) async throws -> LogSlice {
        if let logs = store as? any JobLogStore { return try await logs.log(of: id, range) }
        let path = home.logFile(for: id)
        let marks = try await (store as? any JobLogMarkStore)?.logMarks(of: id) ?? []
        if marks.isEmpty { return try Self.readFile(path, range, of: id) }
        return try Self.readMerged(path, marks: marks, range, of: id)
    }

    /// Records `mark` (the header and end line of a run that wrote no output, whose end is not written with a
    /// result) where the job's log is kept: appended to the store's copy when it keeps logs, else as a mark.
    public func append(_ mark: LogMark, to id: JobID) async throws {
        if let logs = store as? any JobLogStore {
            try await logs.appendLog(mark.bytes, to: id)
        } else if let marks = store as? any JobLogMarkStore {
            try await marks.appendLogMark(mark, to: id)
        }
    }

    /// Reads part of a log file, at most `maximumBytes` of it. The path comes from a validated `JobID` (no `/`,
    /// no leading `.`) and a symbolic link in its place is refused, so nothing outside the logs directory can
    /// be read through it. A missing file is an empty log. The file is opened non-blocking and checked before
    /// any read: a FIFO planted in its place would otherwise block `open` (and a dashboard thread) for good.
    public static func readFile(
        _ path: String, _ range: LogRange, of id: JobID, maximumBytes: Int = .max
    ) throws(QueueError) -> LogSlice {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return LogSlice(bytes: [], offset: 0, size: 0) }
            throw .operationFailed("cannot read the log of job '\(id)': \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw .operationFailed("cannot read the log of job '\(id)': its log file is not a regular file")
        }
        let size = Int(status.st_size)
        let start =
            switch range {
            case .from(let offset): min(max(offset, 0), size)
            case .tail(let count): max(0, size - max(count, 0))
            }
        var bytes = [UInt8](repeating: 0, count: min(size - start, max(maximumBytes, 0)))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(descriptor, base + filled, buffer.count - filled, off_t(start + filled))
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            filled += count
        }
        // `size` is the file's: more than was read when `maximumBytes` cut it (a short read, of a file cut
        // meanwhile, ends it where the read did).
        return LogSlice(bytes: Array(bytes[0..<filled]), offset: start, size: filled < bytes.count ? start + filled : size)
    }

    /// Opens (creating it with mode 0600) a job's log file for a run to append to. A symbolic link in its place is
    /// not followed and anything but a regular file (a FIFO, a device) is refused, so a run never writes its output
    /// through something planted in the logs directory, and never blocks opening it. `readable` opens it for
    /// reading too (the worker's descriptor, which looks at the last byte before a header or an end line).
    public static func openForAppending(_ path: String, readable: Bool = false) -> Result<Int32, QueueError> {
        let access = readable ? O_RDWR : O_WRONLY
        let descriptor = open(path, access | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            let reason = code == ELOOP ? "it is a symbolic link" : String(cString: strerror(code))
            return .failure(.operationFailed("cannot open log file \(path): \(reason)"))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            return .failure(.operationFailed("cannot open log file \(path): it is not a regular file"))
        }
        // Opened non-blocking only so that opening a FIFO cannot hang; writes to the file are ordinary ones.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return .success(descriptor)
    }
}
