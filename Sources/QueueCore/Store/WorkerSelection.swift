/// Which registered workers a stop request is for.
public enum WorkerSelection: Sendable, Equatable {
    /// Every worker, on every host (`worker stop --all-hosts`, the dashboard).
    case all
    /// The workers registered with this host name.
    case host(String)
    /// Exactly these worker ids (a host's own `worker stop`, which picks its workers by host identity: two
    /// containers may share a host name). None: nothing to do.
    case workers([String])
}
