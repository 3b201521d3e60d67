import QueueCore

/// The server half of queuectl: the PostgreSQL store and the dashboard, which need NIO, BoringSSL,
/// Hummingbird and postgres-nio. The executable's `main` passes its half to `QueueCtl.runProcess`, and it
/// reaches the commands through `CommandContext.serverHalf`:
///
/// - `queuectl` (this module, the SQLite store and the worker only) passes `SiblingServerHalf`: a command
///   that needs the server half makes it replace the process with `queuectl-server` beside it, before the
///   command reads or writes anything, so an `enqueue` into a SQLite file loads none of those libraries.
/// - `queuectl-server` and the in-process tests pass `QueueCLIServer.LinkedServerHalf`, which does the work.
///
/// This is the one seam between the halves, so that `QueueCLI` knows no PostgreSQL or dashboard type:
/// `StoreResolver` opens SQLite itself and asks the half for PostgreSQL; the `dashboard` command parses and
/// validates its options here and asks the half to serve. Which commands need it is decided once, in
/// `QueueCtl.main` (`needsServerHalf`), after parsing and before the command runs.
public protocol ServerHalf: Sendable {
    /// Makes this process able to run a command that needs the server half. A linked half returns at once;
    /// the sibling half replaces the process with `queuectl-server` (same arguments and environment) and only
    /// returns by throwing when that cannot be done.
    func handOver() throws(QueueError)

    /// Connects to the PostgreSQL store at `url` (password already filled in).
    func openPostgresStore(url: PostgresURL) async throws -> any JobStore

    /// Serves the dashboard over the store `resolver` names until SIGTERM or SIGINT, printing where to
    /// `context`'s stdout once it listens.
    func serveDashboard(_ options: DashboardOptions, resolver: StoreResolver, context: CommandContext) async throws
}
