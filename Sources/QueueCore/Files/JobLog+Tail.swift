#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension JobLog {
    /// The first window `lastLines` reads from the end of a log; it grows fourfold until it holds enough lines.
    static let tailWindow = 64 * 1024

    /// The last `count` lines of job `id`'s log (`logs --tail N`), wherever the log is kept. A final newline
    /// ends the last line rather than starting an empty one; a last line without one counts as a line. The
    /// slice always ends at the log's end (`size`), so `--follow` goes on from there.
    public func lastLines(_ count: Int, of id: JobID) async throws -> LogSlice {
        var window = Self.tailWindow
        while true {
            let slice = try await read(id, .tail(count > 0 ? window : 0))
            guard count > 0 else { return LogSlice(bytes: [], offset: slice.size, size: slice.size) }
            let bytes = slice.bytes
            // Walk back over `count` line ends, not counting the log's own last newline.
            var index = bytes.last == UInt8(ascii: "\n") ? bytes.count - 1 : bytes.count
            var found = 0
            while index > 0 {
                index -= 1
                if bytes[index] == UInt8(ascii: "\n") {
                    found += 1
                    if found == count {
                        return LogSlice(bytes: Array(bytes[(index + 1)...]), offset: slice.offset + index + 1, size: slice.size)
                    }
                }
            }
            // Fewer lines in the window than asked for: the whole log when the window held all of it.
            if slice.offset == 0 { return slice }
            window *= 4
        }
    }

    /// Whether job `job`'s log should be on this host's disk but is not: the store keeps no logs, the job
    /// has started a run and is not running now (a running job may not have written anything yet), there is
    /// no log file, and the store holds no mark of a run that wrote nothing, or one placed after output that
    /// is gone (a run that writes output creates the file; one that writes none leaves a mark instead). A job
    /// that has not run has no log yet, which is not an error. Decides what `logs` reports as "missing".
    public func isMissing(for job: Job) async throws -> Bool {
        guard !(store is any JobLogStore), job.startedAt != nil, job.state != .processing else { return false }
        var status = stat()
        guard lstat(home.logFile(for: job.id), &status) != 0, errno == ENOENT else { return false }
        let marks = try await (store as? any JobLogMarkStore)?.logMarks(of: job.id) ?? []
        return marks.isEmpty || marks.contains { $0.fileOffset > 0 }
    }
}
