/// A worker announcing itself.
public struct WorkerRegistration: Sendable, Equatable {
    /// Unique worker id (`<host>-<pid>-<tag>-<slot>`, the tag random per process: unique per process incarnation).
    public var id: String
    /// The daemon's process id.
    public var pid: Int32
    /// The host name it runs on, as shown to users.
    public var host: String
    /// Which machine and pid namespace it runs in (host name, boot id, pid namespace), the identity that
    /// "is this process on my host" decisions compare: two containers may share a host name.
    public var hostID: String
    /// The daemon process's start time (from /proc), so a recycled pid is never mistaken for it.
    public var processStart: Int64
    /// Queues it serves; empty means every queue.
    public var queues: [String]

    /// A registration; `hostID` defaults to the host name (tests, fixtures).
    public init(id: String, pid: Int32, host: String, processStart: Int64, queues: [String], hostID: String? = nil) {
        self.id = id
        self.pid = pid
        self.host = host
        self.hostID = hostID ?? host
        self.processStart = processStart
        self.queues = queues
    }
}
