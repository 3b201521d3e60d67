import Foundation
import QueueCore

/// The end of a job's log file, as `GET /api/jobs/{id}/log` returns it.
struct LogTail: Encodable, Sendable {
    /// The job.
    let id: String
    /// The captured output (the last `limit` bytes; invalid UTF-8 shown as U+FFFD).
    let text: String
    /// The whole file's size in bytes (0 when the job has not written any output yet).
    let size: Int
    /// Whether `text` starts after the beginning of the file.
    let truncated: Bool

    /// The bytes returned when the client asks for no particular amount.
    static let defaultLimit = 64 * 1024
    /// The most bytes one request may ask for.
    static let maximumLimit = 1024 * 1024

    /// Reads the last `limit` bytes of `id`'s log in `home`. The path is built from a validated `JobID`
    /// (no `/`, no leading `.`), and a symbolic link in its place is refused, so nothing outside the logs
    /// directory can be read. A missing file is an empty log: the job has not run yet.
    static func read(_ id: JobID, home: QueueHome, limit: Int) throws(APIError) -> LogTail {
        let path = home.logFile(for: id)
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return LogTail(id: id.rawValue, text: "", size: 0, truncated: false) }
            throw APIError(.internalServerError, "cannot read the log of job '\(id)': \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw APIError(.internalServerError, "the log of job '\(id)' is not a regular file")
        }
        let size = Int(status.st_size)
        let start = max(0, size - limit)
        var bytes = [UInt8](repeating: 0, count: size - start)
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
        var text = bytes[0..<filled]
        if start > 0, let newline = text.firstIndex(of: UInt8(ascii: "\n")), newline - text.startIndex < 4096,
            newline + 1 < text.endIndex
        {
            // Start at a line boundary when one is near, so the first line shown is whole; but never cut the tail
            // down to nothing when its only newline is the last byte.
            text = text[(newline + 1)...]
        }
        return LogTail(id: id.rawValue, text: String(decoding: text, as: UTF8.self), size: size, truncated: start > 0)
    }
}
