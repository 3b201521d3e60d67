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

    /// The last `limit` bytes of `id`'s log, from the store when it keeps logs, else from the job's log file
    /// (which `JobLog` opens without following a symbolic link, so nothing outside the logs directory can
    /// be read). A job that has not run yet has an empty log.
    static func read(_ id: JobID, from log: JobLog, limit: Int) async throws -> LogTail {
        let slice = try await log.read(id, .tail(limit))
        var text = slice.bytes[...]
        if slice.offset > 0, let newline = text.firstIndex(of: UInt8(ascii: "\n")), newline - text.startIndex < 4096,
            newline + 1 < text.endIndex
        {
            // Start at a line boundary when one is near, so the first line shown is whole; but never cut the tail
            // down to nothing when its only newline is the last byte.
            text = text[(newline + 1)...]
        }
        return LogTail(
            id: id.rawValue, text: String(decoding: text, as: UTF8.self), size: slice.size, truncated: slice.offset > 0)
    }
}
