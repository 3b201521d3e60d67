/// Whose workers `Operations.stopWorkers` stops.
public enum WorkerStopScope: Sendable, Equatable {
    /// The workers of this host (`WorkerHost.identity`), asked through the store and by signal.
    case thisHost
    /// The workers of every host sharing the store, asked through the store; this host's also by signal.
    case allHosts
}
