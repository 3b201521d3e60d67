import ArgumentParser
import QueueCore
import QueueOperations

/// `--home` and `--db`, accepted on every command (`queuectl status --home DIR`).
/// Add to a command with `@OptionGroup var global: GlobalOptions`, then open the store with
/// `global.withStore { store in … }` or build a `StoreResolver` with `global.resolver()`.
struct GlobalOptions: ParsableArguments {
    /// The data directory; overrides `QUEUECTL_HOME`.
    @Option(
        name: .long,
        help: ArgumentHelp("The data directory (default: $QUEUECTL_HOME, else ~/.queuectl).", valueName: "dir"))
    var home: String?

    /// The store; overrides `QUEUECTL_DB`.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The store: a SQLite file path or postgres://user:pass@host:port/db (default: $QUEUECTL_DB, else <home>/queue.db).",
            valueName: "url"))
    var db: String?

    /// The composition root for these options in the current context.
    func resolver(_ context: CommandContext = .current) throws(QueueError) -> StoreResolver {
        try StoreResolver(home: home, database: db, environment: context.environment, serverHalf: context.serverHalf)
    }

    /// Opens the store these options name, runs `body` with it, and closes it.
    func withStore<Result: Sendable>(
        for purpose: StoreResolver.Purpose = .command, _ body: (any JobStore, StoreResolver) async throws -> Result
    ) async throws -> Result {
        let resolver = try resolver()
        return try await resolver.withStore(for: purpose) { store in try await body(store, resolver) }
    }

    /// Opens the store these options name, runs `body` with the operations on it (reading the time from the
    /// command's clock), and closes it.
    func withOperations<Result: Sendable>(
        for purpose: StoreResolver.Purpose = .command, _ body: (Operations, StoreResolver) async throws -> Result
    ) async throws -> Result {
        let clock = CommandContext.current.clock
        return try await withStore(for: purpose) { store, resolver in
            try await body(Operations(store: store, clock: clock), resolver)
        }
    }
}
