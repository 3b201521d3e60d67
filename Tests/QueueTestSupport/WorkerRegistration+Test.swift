import QueueCore

/// A worker's registration as a test host would send it (process 4242, started at 777) on `host`.
public func makeRegistration(
    _ id: String, host: String = "host-a", queues: [String] = [], hostID: String? = nil
) -> WorkerRegistration {
    WorkerRegistration(id: id, pid: 4242, host: host, processStart: 777, queues: queues, hostID: hostID)
}
