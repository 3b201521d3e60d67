import Foundation
import GRDB
import QueueCore

extension SQLiteSQL {
    /// Adds `mark` to job `id`'s log marks, when the job exists (a job removed meanwhile gets none, and its
    /// missing row does not fail the transaction the mark is written in).
    static func insertLogMark(_ mark: LogMark, of id: JobID) -> SQL {
        """
        INSERT INTO queuectl_log_mark (job_id, file_offset, bytes)
        SELECT id, \(mark.fileOffset), \(Data(mark.bytes)) FROM queuectl_job WHERE id = \(id.rawValue)
        """
    }

    /// The log marks of job `id` in `queuectl_log_mark`, in the order they were written.
    static func logMarks(of id: JobID) -> SQL {
        "SELECT file_offset, bytes FROM queuectl_log_mark WHERE job_id = \(id.rawValue) ORDER BY seq"
    }

    /// Appends the packed mark `?2` (`PackedLogMarks.pack`) to the marks in job `?1`'s row, while they hold
    /// fewer than `?3` bytes (`PackedLogMarks.rowLimit`); no change when the job is gone or its row is full.
    /// Constant text, so the one statement is prepared once per connection. `||` makes text of the two blobs
    /// (their bytes as they are): the cast keeps the value a blob, whose `length` is its size in bytes.
    static let appendPackedLogMark = """
        UPDATE queuectl_job SET log_marks = CAST(coalesce(log_marks, X'') || ?2 AS BLOB)
        WHERE id = ?1 AND coalesce(length(log_marks), 0) < ?3
        """

    /// The marks kept in job `id`'s row (`PackedLogMarks`): one row, whose `log_marks` is NULL when there are
    /// none; no row when the job does not exist.
    static func packedLogMarks(of id: JobID) -> SQL {
        "SELECT log_marks FROM queuectl_job WHERE id = \(id.rawValue)"
    }

    /// Sets the marks kept in job `id`'s row to `packed` (`PackedLogMarks`).
    static func setPackedLogMarks(_ packed: [UInt8], of id: JobID) -> SQL {
        "UPDATE queuectl_job SET log_marks = \(Data(packed)) WHERE id = \(id.rawValue)"
    }
}
