import QueueCore

/// Who the workers of one process are and what they serve.
public struct WorkerSettings: Sendable {
    /// One id per slot (`<host>-<pid>-<n>`), each a registered worker.
    public var workerIDs: [String]
    /// The host name workers register with.
    public var host: String
    /// Queues served; empty means every queue.
    public var queues: [String]
    /// The process hosting the workers.
    public var process: ProcessIdentity

    public init(workerIDs: [String], host: String, queues: [String], process: ProcessIdentity) {
        self.workerIDs = workerIDs
        self.host = host
        self.queues = queues
        self.process = process
    }

    /// Settings for `count` new workers of the calling process; ids are unique within the process
    /// even when several worker groups run in it (as in tests).
    public static func forCurrentProcess(count: Int, queues: [String]) -> WorkerSettings {
        let host = WorkerHost.name
        let process = ProcessIdentity.current
        let ids = (0..<max(count, 1)).map { _ in "\(host)-\(process.pid)-\(WorkerHost.nextSlotNumber())" }
        return WorkerSettings(workerIDs: ids, host: host, queues: queues, process: process)
    }

    /// The registrations to write for these workers.
    public var registrations: [WorkerRegistration] {
        workerIDs.map {
            WorkerRegistration(id: $0, pid: process.pid, host: host, processStart: process.startTime, queues: queues)
        }
    }
}
