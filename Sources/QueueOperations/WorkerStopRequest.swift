import QueueCore

/// A stop that was asked of workers through the store, and who was live to hear it.
public struct WorkerStopRequest: Sendable {
    /// What the workers were asked to do (`drain`: finish the running jobs, then exit).
    public let command: WorkerCommand
    /// The workers whose lease held when it was asked.
    public let workers: [WorkerRecord]

    /// How many distinct worker processes (daemons) those workers run in, on hosts other than `hostID`.
    public func processCount(notOn hostID: String) -> Int {
        Set(workers.filter { $0.hostID != hostID }.map { "\($0.hostID)/\($0.pid)/\($0.processStart)" }).count
    }

    /// How many distinct worker processes run on `hostID`.
    public func processCount(on hostID: String) -> Int {
        Set(workers.filter { $0.hostID == hostID }.map(\.pid)).count
    }
}
