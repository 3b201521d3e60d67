#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension QueueHome {
    /// Deletes the log files of jobs `ids` that are in this home's `logs/` (a job run on another host sharing a
    /// PostgreSQL store has its file there, not here). A missing file is fine; the job is gone either way, so
    /// a file that cannot be deleted is only left behind.
    public func removeLogs(of ids: some Sequence<JobID>) {
        for id in ids { unlink(logFile(for: id)) }
    }
}
