#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import QueueCore

/// The server half of the lean `queuectl`: the executable `queuectl-server` in the same folder (beside the
/// file `/proc/self/exe` names, so a symlink to `queuectl` still finds it). Every requirement replaces this
/// process with it, keeping the arguments, the environment and the process id (exec, not spawn): output,
/// exit status and signals are those of one program, and the workers `worker start` detaches re-execute
/// `queuectl-server` itself.
public struct SiblingServerHalf: ServerHalf {
    /// The sibling's file name.
    public static let executableName = "queuectl-server"

    /// The sibling of the running executable.
    public init() {}

    /// Replaces the process with `queuectl-server`; throws (one line, exit 1) when it is missing or cannot run.
    public func handOver() throws(QueueError) {
        try Self.replaceProcess()
    }

    /// Hands over. `QueueCtl.main` hands a command on a PostgreSQL store over before it runs, so only a job id
    /// completion gets here: it runs while the command line is parsed, before anything is read or written, and
    /// the sibling answers it in this process's place.
    public func openPostgresStore(url: PostgresURL) async throws -> any JobStore {
        try Self.replaceProcess()
    }

    /// Hands over (`QueueCtl.main` already does so before `dashboard` runs).
    public func serveDashboard(_ options: DashboardOptions, resolver: StoreResolver, context: CommandContext) async throws {
        try Self.replaceProcess()
    }

    /// Where the sibling must be: the folder of the running executable.
    public static func siblingPath() -> String {
        let own =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments.first ?? executableName
        return URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent(executableName).path
    }

    /// `execv`s the sibling with this process's own arguments (`argv[0]` as typed, so `ps` still shows
    /// `queuectl`); returns only by throwing.
    private static func replaceProcess() throws(QueueError) -> Never {
        let path = siblingPath()
        var argv: [UnsafeMutablePointer<CChar>?] = CommandLine.arguments.map { strdup($0) } + [nil]
        // The sibling starts with no signal blocked, as when a shell starts it: this runs on one of Swift's
        // threads, which block most signals, and a mask survives `execv`.
        var none = sigset_t()
        sigemptyset(&none)
        var previous = sigset_t()
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        execv(path, &argv)
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        let reason = errno
        for argument in argv { free(argument) }
        if reason == ENOENT || reason == ENOTDIR {
            throw .operationFailed(
                "the PostgreSQL store and the dashboard need \(executableName) beside queuectl (\(path)); reinstall")
        }
        throw .operationFailed(
            "the PostgreSQL store and the dashboard need \(executableName) beside queuectl, and \(path) cannot be run (\(String(cString: strerror(reason)))); reinstall")
    }
}
