import QueueCore

/// A short random tag drawn once per process, so the worker ids of a process that reuses a dead
/// process's pid never repeat the dead one's.
private let incarnationTag: String = {
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
    return String((0..<4).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
}()

/// Who the workers of one process are and what they serve.
public struct WorkerSettings: Sendable {
    /// One id per slot (`<host>-<pid>-<tag>-<n>`, the tag random per process), each a registered worker.
    public var workerIDs: [String]
    /// The host name workers register with (shown to users).
    public var host: String
    /// The host identity workers register with (`WorkerHost.identity`).
    public var hostID: String
    /// Queues served; empty means every queue.
    public var queues: [String]
    /// The process hosting the workers.
    public var process: ProcessIdentity
    /// This daemon's idle poll in milliseconds (`--poll-interval`), instead of `poll_interval_ms`; nil: the config's.
    public var pollIntervalMilliseconds: Int?
    /// Seconds a run of a job that named no timeout may take (`--timeout`, 0 = no limit), instead of
    /// `job_timeout`; nil: the job's resolved timeout.
    public var jobTimeout: Int?

    /// Settings; `hostID` defaults to this host's identity.
    public init(workerIDs: [String], host: String, queues: [String], process: ProcessIdentity, hostID: String? = nil) {
        self.workerIDs = workerIDs
        self.host = host
        self.hostID = hostID ?? WorkerHost.identity
        self.queues = queues
        self.process = process
    }

    /// Settings for `count` new workers of the calling process; ids are unique within the process
    /// even when several worker groups run in it (as in tests), and across processes that reuse a pid.
    public static func forCurrentProcess(count: Int, queues: [String]) -> WorkerSettings {
        let host = WorkerHost.name
        let process = ProcessIdentity.current
        let ids = (0..<max(count, 1)).map { _ in
            "\(host)-\(process.pid)-\(incarnationTag)-\(WorkerHost.nextSlotNumber())"
        }
        return WorkerSettings(workerIDs: ids, host: host, queues: queues, process: process, hostID: WorkerHost.identity)
    }

    /// The registrations to write for these workers.
    public var registrations: [WorkerRegistration] {
        workerIDs.map {
            WorkerRegistration(
                id: $0, pid: process.pid, host: host, processStart: process.startTime, queues: queues, hostID: hostID)
        }
    }

    /// Whether `record` is one of these workers' host's (its pid and start time mean something here).
    func isOnThisHost(_ record: WorkerRecord) -> Bool {
        record.hostID == hostID
    }
}
