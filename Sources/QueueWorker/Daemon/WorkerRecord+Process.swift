import QueueCore

extension WorkerRecord {
    /// The process that registered this worker (meaningful only on its own host: compare host identities first).
    public var process: ProcessIdentity {
        ProcessIdentity(pid: pid, startTime: processStart)
    }
}
