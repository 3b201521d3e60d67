import CQueueSpawn
import Foundation
import QueueCore

/// Starts this host's worker daemons detached from the caller and stops them, over one store and one data
/// directory: the detached spawn and the wait for its registration, the graceful or deadline-bound stop. The
/// daemons' pid files are `WorkerSupervisor+PidFiles.swift`; every wait is an `ObservedWait`.
public struct WorkerSupervisor: Sendable {
    /// The store the workers register in.
    public let store: any JobStore
    /// The data directory: pid files and daemon logs in its `workers/` folder.
    public let home: QueueHome
    /// "This host" (`WorkerHost.identity`), not the host name: a container that shares the host name and the
    /// store is another host, whose workers are left alone.
    public let hostID: String

    /// A supervisor of the workers of `hostID` registered in `store`, with their files under `home`.
    public init(store: any JobStore, home: QueueHome, hostID: String = WorkerHost.identity) {
        self.store = store
        self.home = home
        self.hostID = hostID
    }

    /// A daemon that was started: its identity and its log.
    public struct StartedDaemon: Sendable {
        /// The daemon process.
        public var process: ProcessIdentity
        /// Its stdout/stderr log.
        public var logPath: String
        /// The workers it registered.
        public var workerIDs: [String]
    }

    /// What went wrong while starting or stopping.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The daemon could not be spawned, or exited before registering; carries the log tail.
        case daemonFailed(String)
        /// Workers were still running when the deadline passed.
        case stillRunning(String)

        public var description: String {
            switch self {
            case .daemonFailed(let message), .stillRunning(let message): message
            }
        }
    }

    /// Starts `executable` (normally `/proc/self/exe`) with `arguments` detached: own session,
    /// stdin `/dev/null`, output to `workers/daemon-<pid>.log`; then waits (up to `deadline`) until
    /// it registered `count` workers in the store.
    public func startDaemon(
        executable: String, arguments: [String], environment: [String: String], count: Int,
        deadline: Duration = .seconds(20)
    ) async throws -> StartedDaemon {
        try home.prepare()
        let startingLog = home.workersDirectory + "/daemon-starting-\(UUID().uuidString).log"
        var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] =
            environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = qc_spawn_detached(executable, &argv, &envp, startingLog, &pid)
        guard result == 0 else {
            throw Failure.daemonFailed("cannot start worker daemon \(executable): \(String(cString: strerror(result)))")
        }
        let logPath = home.workersDirectory + "/daemon-\(pid).log"
        if rename(startingLog, logPath) != 0 { unlink(startingLog) }
        // Our child, not reaped yet: its /proc entry names exactly this process (pid and start time).
        let daemon = ProcessIdentity(pid: pid, startTime: ProcessIdentity.status(of: pid)?.startTime ?? -1)
        let started = try await ObservedWait<[WorkerRecord]>(interval: .milliseconds(10)).result(
            deadline: deadline,
            observe: {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid {
                    throw Failure.daemonFailed(
                        "the worker daemon exited before it was ready" + Self.logTail(logPath).map { ": \($0)" }.orEmpty)
                }
                // Only rows this very process registered: same host identity, pid and start time (a row of
                // another host, or of a dead process whose pid was recycled, has the pid but not the rest).
                return (try? await store.workers().filter { $0.hostID == hostID && $0.process == daemon }) ?? []
            },
            from: { mine in
                mine.count >= count
                    ? StartedDaemon(process: daemon, logPath: logPath, workerIDs: mine.map(\.id).sorted(by: Self.slotOrder))
                    : nil
            })
        guard let started else {
            throw Failure.daemonFailed(
                "the worker daemon (pid \(pid)) did not register within \(deadline); see \(logPath)"
                    + Self.logTail(logPath).map { ": \($0)" }.orEmpty)
        }
        return started
    }

    /// Stops this host's workers: asks through the store (so daemons that are not our children
    /// hear it too) and by SIGTERM to the live daemons of `home`, then waits until every one has
    /// exited and deregistered. With `timeout`, jobs still running after that many seconds are
    /// killed and put back as pending (`abort`). Returns the number of daemons that were running.
    ///
    /// When workers are still running a second after the request, `waiting` is told once which jobs they
    /// still run (empty when they are only exiting), so a person knows what the stop waits for.
    @discardableResult
    public func stopWorkers(timeout: Double?, waiting: (@Sendable ([JobID]) -> Void)? = nil) async throws -> Int {
        let daemons = Self.liveDaemons(home: home)
        let rows = try await store.workers().filter { $0.hostID == hostID }
        let registered = Set(rows.map(\.process))
        let processes = Set(daemons).union(registered.filter(\.isAlive))
        // Rows whose process is gone belong to killed daemons: remove them so their jobs get recovered.
        let stale = rows.filter { !$0.process.isAlive }.map(\.id)
        if !stale.isEmpty {
            JobProcessSweeper.killProcesses(ofWorkers: Set(stale))
            try await store.deregisterWorkers(stale)
        }
        guard !processes.isEmpty else { return 0 }

        try await store.requestStop(.drain, workers: rows.filter { processes.contains($0.process) }.map(\.id))
        for process in processes where process.isAlive && process.pid != getpid() { _ = kill(process.pid, SIGTERM) }

        /// What the wait sees: the daemons still alive and the rows they still hold.
        struct Remaining {
            var alive: [ProcessIdentity]
            var rows: [WorkerRecord]
        }
        var wait = ObservedWait<Remaining>(interval: .milliseconds(20))
        if let timeout {
            let abortAfter = Duration.seconds(timeout)
            wait.step(after: abortAfter) { remaining in
                try await store.requestStop(.abort, workers: remaining.rows.map(\.id))
            }
            // A daemon that ignored the abort: kill it and its jobs; recovery puts the jobs back.
            wait.step(after: abortAfter + .seconds(15), repeats: true) { remaining in
                for process in remaining.alive where process.pid != getpid() { _ = kill(process.pid, SIGKILL) }
                JobProcessSweeper.killProcesses(ofWorkers: Set(remaining.rows.map(\.id)))
            }
        }
        // Said once, unless the timeout has already decided the jobs' fate.
        if let waiting, timeout.map({ $0 > 1 }) ?? true {
            wait.step(after: .seconds(1)) { remaining in waiting(remaining.rows.compactMap(\.job).sorted()) }
        }
        try await wait.run(
            observe: {
                Remaining(
                    alive: processes.filter(\.isAlive),
                    rows: try await store.workers().filter { $0.hostID == hostID && processes.contains($0.process) })
            },
            until: { remaining in
                guard remaining.alive.isEmpty else { return false }
                if !remaining.rows.isEmpty { try await store.deregisterWorkers(remaining.rows.map(\.id)) }
                return true
            })
        return processes.count
    }

    /// `worker stop` when the store cannot be reached: SIGTERM to the live daemons of `home` (by their pid
    /// files, checked against each process's start time), then waits until they exited. Without the store
    /// a daemon still finishes its running jobs; it gives up writing their results after `lease_timeout`
    /// and the lease recovers them later. With `timeout`, daemons still running after that many seconds
    /// are killed (their guardians kill their jobs). Returns the number of daemons that were running.
    @discardableResult
    public static func stopDaemonsBySignal(home: QueueHome, timeout: Double?) async throws -> Int {
        let daemons = liveDaemons(home: home).filter { $0.pid != getpid() }
        guard !daemons.isEmpty else { return 0 }
        for daemon in daemons where daemon.isAlive { _ = kill(daemon.pid, SIGTERM) }
        var wait = ObservedWait<[ProcessIdentity]>(interval: .milliseconds(20))
        if let timeout {
            wait.step(after: .seconds(timeout)) { alive in
                for daemon in alive { _ = kill(daemon.pid, SIGKILL) }
            }
        }
        try await wait.run(observe: { daemons.filter(\.isAlive) }, until: \.isEmpty)
        return daemons.count
    }

    /// The last non-empty line of a log file (for an error message).
    static func logTail(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }).map(String.init)
    }

    private static func slotOrder(_ lhs: String, _ rhs: String) -> Bool {
        let left = Int(lhs.split(separator: "-").last ?? "") ?? 0
        let right = Int(rhs.split(separator: "-").last ?? "") ?? 0
        return left == right ? lhs < rhs : left < right
    }
}

extension Optional where Wrapped == String {
    fileprivate var orEmpty: String { self ?? "" }
}
