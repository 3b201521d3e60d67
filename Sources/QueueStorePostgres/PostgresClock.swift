/// Whose clock the PostgreSQL store reads for leases, due times, claims and heartbeats.
///
/// Hosts that share one database may have skewed clocks; with `.database` every instant the store
/// writes or compares comes from the server (`statement_timestamp()`), so all hosts agree on which
/// jobs are due and which leases have lapsed. The `now` the caller passes is then only used for
/// intervals: a retry due `d` seconds after the run ended is due `d` seconds after the server's now.
/// `.caller` uses the passed `now` verbatim, which lets tests move time (the contract suite does).
public enum PostgresClock: Sendable, Equatable {
    /// The database server's clock (production).
    case database
    /// The `now` each call passes in (tests).
    case caller
}
