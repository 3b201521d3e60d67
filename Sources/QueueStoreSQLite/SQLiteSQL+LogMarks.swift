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

    /// The log marks of job `id`, in the order they were written.
    static func logMarks(of id: JobID) -> SQL {
        "SELECT file_offset, bytes FROM queuectl_log_mark WHERE job_id = \(id.rawValue) ORDER BY seq"
    }
}
