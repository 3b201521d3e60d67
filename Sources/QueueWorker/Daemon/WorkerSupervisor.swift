import CQueueSpawn
import Foundation
import QueueCore

/// Starts worker daemons detached from the caller and stops them: pid files in `workers/`
/// (pid plus process start time, so a recycled pid is never taken for a daemon), the detached
/// spawn, waiting for registration, and the graceful or deadline-bound stop.
public enum WorkerSupervisor {
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

    /// `workers/<pid>.pid`.
    public static func pidFile(for pid: Int32, home: QueueHome) -> String {
        home.workersDirectory + "/\(pid).pid"
    }

    /// Writes the pid file of `process`.
    public static func writePidFile(_ process: ProcessIdentity, home: QueueHome) throws {
        try "\(process.pid) \(process.startTime)\n".write(
            toFile: pidFile(for: process.pid, home: home), atomically: true, encoding: .utf8)
    }

    /// The daemons of this data directory that still run (stale pid files are removed).
    public static func liveDaemons(home: QueueHome) -> [ProcessIdentity] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: home.workersDirectory) else { return [] }
        var result: [ProcessIdentity] = []
        for name in names where name.hasSuffix(".pid") {
            let path = home.workersDirectory + "/" + name
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let fields = text.split(whereSeparator: \.isWhitespace)
            guard fields.count == 2, let pid = Int32(fields[0]), let start = Int64(fields[1]) else { continue }
            let process = ProcessIdentity(pid: pid, startTime: start)
            if process.isAlive {
                result.append(process)
            } else {
                unlink(path)
            }
        }
        return result
    }

    /// Starts `executable` (normally `/proc/self/exe`) with `arguments` detached: own session,
    /// stdin `/dev/null`, output to `workers/daemon-<pid>.log`; then waits (up to `deadline`) until
    /// it registered `count` workers in `store`.
    public static func startDaemon(
        executable: String, arguments: [String], environment: [String: String], home: QueueHome,
        store: any JobStore, count: Int,
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
        let hostID = WorkerHost.identity

        let clock = ContinuousClock()
        let end = clock.now.advanced(by: deadline)
        while clock.now < end {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw Failure.daemonFailed(
                    "the worker daemon exited before it was ready" + logTail(logPath).map { ": \($0)" }.orEmpty)
            }
            // Only rows this very process registered: same host identity, pid and start time (a row of
            // another host, or of a dead process whose pid was recycled, has the pid but not the rest).
            let mine = (try? await store.workers().filter { $0.hostID == hostID && $0.process == daemon }) ?? []
            if mine.count >= count {
                return StartedDaemon(process: daemon, logPath: logPath, workerIDs: mine.map(\.id).sorted(by: slotOrder))
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw Failure.daemonFailed(
            "the worker daemon (pid \(pid)) did not register within \(deadline); see \(logPath)"
                + logTail(logPath).map { ": \($0)" }.orEmpty)
    }

    /// Stops this host's workers: asks through the store (so daemons that are not our children
    /// hear it too) and by SIGTERM to the live daemons of `home`, then waits until every one has
    /// exited and deregistered. With `timeout`, jobs still running after that many seconds are
    /// killed and put back as pending (`abort`). Returns the number of daemons that were running.
    ///
    /// "This host" is `hostID` (`WorkerHost.identity`), not the host name: a container that shares the
    /// host name and the store is another host, whose workers are left alone.
    ///
    /// When workers are still running a second after the request, `waiting` is told once which jobs they
    /// still run (empty when they are only exiting), so a person knows what the stop waits for.
    @discardableResult
    public static func stopWorkers(
        store: any JobStore, home: QueueHome, hostID: String, timeout: Double?,
        waiting: (@Sendable ([JobID]) -> Void)? = nil
    ) async throws -> Int {
        let daemons = liveDaemons(home: home)
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

        let monotonic = ContinuousClock()
        let abortAt = timeout.map { monotonic.now.advanced(by: .milliseconds(Int64($0 * 1000))) }
        var aborted = false
        var killAt: ContinuousClock.Instant?
        let tellAt = monotonic.now.advanced(by: .seconds(1))
        var told = waiting == nil
        while true {
            let alive = processes.filter(\.isAlive)
            let remainingRows = try await store.workers().filter { row in
                row.hostID == hostID && processes.contains(row.process)
            }
            if alive.isEmpty {
                if !remainingRows.isEmpty { try await store.deregisterWorkers(remainingRows.map(\.id)) }
                return processes.count
            }
            if let abortAt, !aborted, monotonic.now >= abortAt {
                aborted = true
                try await store.requestStop(.abort, workers: remainingRows.map(\.id))
                killAt = monotonic.now.advanced(by: .seconds(15))
            }
            // Said once, unless the timeout has already decided the jobs' fate.
            if !told, !aborted, monotonic.now >= tellAt {
                told = true
                waiting?(remainingRows.compactMap(\.job).sorted())
            }
            if let killAt, monotonic.now >= killAt {
                // A daemon that ignored the abort: kill it and its jobs; recovery puts the jobs back.
                for process in alive where process.pid != getpid() { _ = kill(process.pid, SIGKILL) }
                JobProcessSweeper.killProcesses(ofWorkers: Set(remainingRows.map(\.id)))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
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
        let monotonic = ContinuousClock()
        let killAt = timeout.map { monotonic.now.advanced(by: .milliseconds(Int64($0 * 1000))) }
        var killed = false
        while true {
            let alive = daemons.filter(\.isAlive)
            if alive.isEmpty { return daemons.count }
            if let killAt, !killed, monotonic.now >= killAt {
                killed = true
                for daemon in alive { _ = kill(daemon.pid, SIGKILL) }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
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
