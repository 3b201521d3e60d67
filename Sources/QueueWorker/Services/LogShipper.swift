import Foundation
import Logging
import QueueCore

/// Copies what one run writes to its log file into a store that keeps logs (`JobLogStore`, PostgreSQL),
/// so `logs`, `logs --follow` and the dashboard on any host show it: every half second while the run goes on,
/// and the rest with its result (in the same write, so whoever `wait`s for the job finds its whole output).
/// A store that cannot be reached only delays the copy; the file stays complete.
///
/// The output is copied as a stream of writes of at most `chunkBytes` each, read from the file one chunk at a
/// time, so a run that floods its log costs the worker one chunk of memory (and the driver's copy of it), not
/// the whole backlog: reading up to the per-run cap at once made a PostgreSQL worker peak at about 100 MB
/// under a 200 MB flood (`bench/log_flood.sh`; figures in `bench/RESULTS.md`).
actor LogShipper {
    /// How much of one run's output is copied at most; the rest stays in the file on the host that ran it
    /// (a bound on how much one run adds to the database, not on the worker's memory).
    static let maximumBytesPerRun = 64 * 1024 * 1024
    /// The most output one store write carries.
    static let chunkBytes = 256 * 1024
    /// How often a running job's new output is copied.
    static let interval = Duration.milliseconds(500)

    private let store: any JobLogStore
    private let id: JobID
    private let path: String
    private let logger: Logger
    private var offset: Int
    private var shipped = 0
    private var capped = false
    private var failures = 0

    /// A shipper for the run of `id` about to start: what the file holds already (earlier attempts) was
    /// copied by their own runs.
    init(store: any JobLogStore, id: JobID, path: String, logger: Logger) {
        self.store = store
        self.id = id
        self.path = path
        self.logger = logger
        var status = stat()
        offset = stat(path, &status) == 0 ? Int(status.st_size) : 0
    }

    /// Copies new output every `interval` until cancelled, the first time one `interval` after the start:
    /// a short run is copied once, with its result, instead of costing a second store write as it starts.
    /// (A host that dies in the first half second of a run leaves that run's header only in its local file;
    /// the job itself records "worker lost".)
    func shipWhileRunning() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: Self.interval) } catch { return }
            await ship()
        }
    }

    /// Copies whatever output is not in the store yet, chunk by chunk; a failure is logged (now and then)
    /// and leaves the rest for the next call.
    func ship() async {
        do {
            while let chunk = try nextChunk() {
                try await store.appendLog(chunk.bytes, to: id)
                markShipped(chunk)
            }
            failures = 0
        } catch {
            failures += 1
            if failures & (failures - 1) == 0 {
                logger.warning("copying the output of job \(id) to the store failed (\(failures) in a row): \(error)")
            }
        }
    }

    /// The last part (at most one chunk) of the ended run's output that is not in the store yet, after copying
    /// the parts before it: the caller hands it to the store with the run's result (`RunResult.logTail`), one
    /// write for both. It is not counted as copied, so a caller whose result write failed calls again and gets
    /// it again. Throws when a copy fails (the chunks copied stay copied; the next call goes on from there).
    /// Empty when the file cannot be read (it stays complete on this host).
    func finalPart() async throws -> [UInt8] {
        while true {
            let chunk: Unshipped
            do {
                guard let next = try nextChunk() else { return capped ? endLine() : [] }
                chunk = next
            } catch {
                logger.warning("reading the end of the output of job \(id) failed; it stays in \(path) only: \(error)")
                return []
            }
            guard chunk.hasMore else { return chunk.overflows ? chunk.bytes + endLine() : chunk.bytes }
            try await store.appendLog(chunk.bytes, to: id)
            markShipped(chunk)
        }
    }

    /// The run's end line, when the cap cut its output: the runner wrote it last, so it is the file's last line.
    /// Empty when the file cannot be read or does not end with one.
    private func endLine() -> [UInt8] {
        let newline = UInt8(ascii: "\n")
        guard let slice = try? JobLog.readFile(path, .tail(4096), of: id), slice.bytes.last == newline else { return [] }
        let body = slice.bytes.dropLast()
        guard let previous = body.lastIndex(of: newline) else { return [] }
        let line = Array(slice.bytes[(previous + 1)...])
        return line.starts(with: "--- end of attempt ".utf8) ? line : []
    }

    /// Output read from the file and not yet in the store.
    private struct Unshipped {
        /// What to send (the file's bytes, and the cap's notice when it cuts them).
        var bytes: [UInt8]
        /// The file offset after the bytes read.
        var end: Int
        /// How many of the file's bytes were read (not `end` minus the old offset: a file truncated or
        /// removed meanwhile reads from 0).
        var fileBytes: Int
        /// Whether the cap cut them.
        var overflows: Bool
        /// Whether the file held more than this chunk (and the cap did not cut it).
        var hasMore: Bool
    }

    /// The next chunk of the file's bytes after those copied, up to the per-run cap (with a notice where the
    /// cap cuts); nil when there is none.
    private func nextChunk() throws -> Unshipped? {
        guard !capped else { return nil }
        let room = min(Self.chunkBytes, Self.maximumBytesPerRun - shipped)
        let slice = try JobLog.readFile(path, .from(offset), of: id, maximumBytes: room)
        var bytes = slice.bytes
        let hasMore = slice.size > slice.offset + bytes.count && bytes.count == room
        let overflows = hasMore && shipped + bytes.count == Self.maximumBytesPerRun
        if overflows {
            bytes += Array(
                "\n[queuectl: output beyond \(Self.maximumBytesPerRun >> 20) MiB of this run is not copied to the queue database; it is in \(path) on host \(WorkerHost.name)]\n"
                    .utf8)
        }
        guard !bytes.isEmpty else { return nil }
        return Unshipped(
            bytes: bytes, end: slice.offset + slice.bytes.count, fileBytes: slice.bytes.count, overflows: overflows,
            hasMore: hasMore && !overflows)
    }

    private func markShipped(_ chunk: Unshipped) {
        offset = chunk.end
        shipped += chunk.fileBytes
        capped = chunk.overflows
    }
}
