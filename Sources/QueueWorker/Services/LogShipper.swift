import Foundation
import Logging
import QueueCore

/// Copies what one run writes to its log file into a store that keeps logs (`JobLogStore`, PostgreSQL),
/// so `logs`, `logs --follow` and the dashboard on any host show it: every half second while the run goes on,
/// and the rest with its result (in the same write, so whoever `wait`s for the job finds its whole output).
/// A store that cannot be reached only delays the copy; the file stays complete.
actor LogShipper {
    /// How much of one run's output is copied at most; the rest stays in the file on the host that ran it.
    static let maximumBytesPerRun = 16 * 1024 * 1024
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

    /// Copies whatever output is not in the store yet.
    func ship() async {
        do {
            let rest = try unshipped()
            guard !rest.bytes.isEmpty else { return }
            try await store.appendLog(rest.bytes, to: id)
            markShipped(rest)
            failures = 0
        } catch {
            failures += 1
            if failures & (failures - 1) == 0 {
                logger.warning("copying the output of job \(id) to the store failed (\(failures) in a row): \(error)")
            }
        }
    }

    /// The output of the ended run that is not in the store yet, counted as copied: the caller hands it to
    /// the store with the run's result (`RunResult.logTail`), one write for both. Empty when the file cannot
    /// be read (it stays complete on this host).
    func takeRest() -> [UInt8] {
        do {
            let rest = try unshipped()
            markShipped(rest)
            return rest.bytes
        } catch {
            logger.warning("reading the end of the output of job \(id) failed; it stays in \(path) only: \(error)")
            return []
        }
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
    }

    /// The file's bytes after those copied, up to the per-run cap (with a notice where the cap cuts).
    private func unshipped() throws -> Unshipped {
        guard !capped else { return Unshipped(bytes: [], end: offset, fileBytes: 0, overflows: true) }
        let room = Self.maximumBytesPerRun - shipped
        let slice = try JobLog.readFile(path, .from(offset), of: id, maximumBytes: room)
        var bytes = slice.bytes
        let overflows = slice.size > slice.offset + bytes.count && bytes.count == room
        if overflows {
            bytes += Array(
                "\n[queuectl: output beyond \(Self.maximumBytesPerRun >> 20) MiB of this run is not copied to the queue database; it is in \(path) on host \(WorkerHost.name)]\n"
                    .utf8)
        }
        return Unshipped(bytes: bytes, end: slice.offset + slice.bytes.count, fileBytes: slice.bytes.count, overflows: overflows)
    }

    private func markShipped(_ rest: Unshipped) {
        offset = rest.end
        shipped += rest.fileBytes
        capped = rest.overflows
    }
}
