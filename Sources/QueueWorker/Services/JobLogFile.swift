import QueueCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A job's log file opened for appending (`O_APPEND`, and reading: its last byte tells whether a line is
/// open): the place where its runs' headers and end lines are written around what the job itself writes
/// (copied from the job's output pipe by `JobProcessThread`).
struct JobLogFile {
    /// The file's path.
    let path: String
    /// The open descriptor.
    let descriptor: Int32

    /// Opens (creating, mode 0600) the log file at `path` for appending, as `JobLog.openForAppending` does: a
    /// symbolic link or anything but a regular file is refused.
    static func openForAppending(_ path: String) -> Result<JobLogFile, QueueError> {
        JobLog.openForAppending(path, readable: true).map { JobLogFile(path: path, descriptor: $0) }
    }

    /// Opens the existing log file at `path` for appending; nil when there is none (or it cannot be opened).
    /// Like `openForAppending`, a symbolic link or anything but a regular file is refused (and never blocks).
    static func openExistingForAppending(_ path: String) -> JobLogFile? {
        let descriptor = open(path, O_RDWR | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            _ = close(descriptor)
            return nil
        }
        return JobLogFile(path: path, descriptor: descriptor)
    }

    /// The file's size now (0 when it cannot be read).
    var size: Int {
        var status = stat()
        return fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
    }

    /// Appends `line` in one write, after a newline when the file does not end with one. `knownEnd` is a size
    /// at which the file is known to end with a newline (where the last line queuectl wrote ended): when the
    /// file still has that size the last byte is not read again, so a run that printed nothing costs no read.
    /// Returns the file's size after the write.
    @discardableResult
    func append(_ line: RunLogLine, knownEnd: Int? = nil) -> Int {
        let current = size
        var last: UInt8?
        if current > 0, current != knownEnd {
            var byte: UInt8 = 0
            last = pread(descriptor, &byte, 1, off_t(current - 1)) == 1 ? byte : nil
        }
        return current + appendOutput(line.bytes(after: last)[...])
    }

    /// Appends `bytes` as they are (a run's output, copied from its pipe); returns how many were written.
    @discardableResult
    func appendOutput(_ bytes: ArraySlice<UInt8>) -> Int {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            if written <= 0 { break }
            offset += written
        }
        return offset - bytes.startIndex
    }

    /// Closes the descriptor.
    func closeDescriptor() {
        _ = close(descriptor)
    }
}
