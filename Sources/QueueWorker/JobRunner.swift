import CQueueSpawn
import Foundation
import QueueCore

/// Runs one attempt of a job: `/bin/sh -c COMMAND` in its own session and process group, output
/// appended to `logs/<id>.log` after a header line, the whole group killed on timeout, the group known
/// to this process's `JobGuardian` (which kills it if the worker dies), the duration measured by the
/// monotonic clock (`RunningProcess.runDuration`).
///
/// Spawning is hand-written (`qc_spawn_job`, vfork + exec from one dedicated thread) rather than
/// swift-subprocess: swift-subprocess cannot set `PR_SET_PDEATHSIG`, which is what keeps a job
/// from outliving a killed worker, and it costs about twice a raw spawn per job (measured:
/// ~1,500 vs ~2,600 spawns/s with two concurrent spawners), which matters when draining many
/// short jobs.
public struct JobRunner: Sendable {
    /// The data directory holding `logs/`.
    public let home: QueueHome
    /// The clock for log headers.
    public let clock: any TimeSource
    /// How long a timed-out group gets between SIGTERM and SIGKILL.
    public let killGrace: Duration
    private let baseEnvironment: [String]

    /// Variables every job gets, naming its run.
    static let jobVariables = ["QUEUECTL_JOB_ID", "QUEUECTL_ATTEMPT", "QUEUECTL_WORKER"]

    public init(home: QueueHome, clock: any TimeSource, killGrace: Duration = .seconds(2)) {
        self.home = home
        self.clock = clock
        self.killGrace = killGrace
        baseEnvironment = ProcessInfo.processInfo.environment
            .filter { !Self.jobVariables.contains($0.key) }
            .map { "\($0.key)=\($0.value)" }
    }

    /// Runs `job` as claimed (its `attempts` is this run's number) for `worker`, until it exits,
    /// times out or `process` is aborted.
    public func run(_ job: Job, worker: String, process: RunningProcess) async -> RunEnd {
        let logPath = home.logFile(for: job.id)
        let logFD = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard logFD >= 0 else {
            return .finished(.spawnFailed("cannot open log file \(logPath): \(String(cString: strerror(errno)))"))
        }
        let header = "--- attempt \(job.attempts) · \(Timestamp.format(clock.now())) · worker \(worker) ---\n"
        writeAll(logFD, header)

        let environment =
            baseEnvironment + [
                "QUEUECTL_JOB_ID=\(job.id.rawValue)", "QUEUECTL_ATTEMPT=\(job.attempts)", "QUEUECTL_WORKER=\(worker)",
            ]
        let command = job.command
        let guardianFD = JobGuardian.shared.descriptor
        let started = await SpawnThread.shared.perform {
            Self.spawn(command, environment: environment, logFD: logFD, guardianFD: guardianFD)
        }
        close(logFD)
        let pid: pid_t
        let pidfd: Int32
        switch started {
        case .failure(let reason):
            return .finished(.spawnFailed(reason))
        case .success(let spawned):
            (pid, pidfd) = spawned
        }
        process.started(pid: pid)

        let timeout = job.timeout
        let grace = killGrace
        /// The reaper's answer (nil: `waitpid` failed), or the timer's end (which never answers).
        enum Waited: Sendable {
            case exited(Int32?)
            case timerDone
        }
        let status: Int32? = await withTaskGroup(of: Waited.self) { group in
            group.addTask { .exited(await ProcessReaper.shared.waitForExit(pid: pid, pidfd: pidfd)) }
            if timeout > 0 {
                group.addTask {
                    do { try await Task.sleep(for: .seconds(timeout)) } catch { return .timerDone }
                    process.timeOut(with: SIGTERM)
                    do { try await Task.sleep(for: grace) } catch { return .timerDone }
                    process.timeOut(with: SIGKILL)
                    return .timerDone
                }
            }
            var status: Int32?
            for await value in group {
                if case .exited(let exitStatus) = value {
                    status = exitStatus
                    break
                }
            }
            process.exited()
            group.cancelAll()
            return status
        }

        if process.wasAborted { return .aborted }
        if process.wasFenced { return .finished(.workerLost) }
        if process.wasTimedOut { return .finished(.timedOut(seconds: timeout)) }
        return .finished(Self.outcome(ofWaitStatus: status))
    }

    /// Decodes a raw `waitpid` status; nil (the wait failed) is a failed run whose status is unknown,
    /// never a success.
    static func outcome(ofWaitStatus status: Int32?) -> RunOutcome {
        guard let status else { return .exitStatusUnknown }
        let signal = status & 0x7f
        if signal == 0 {
            let code = (status >> 8) & 0xff
            return code == 0 ? .succeeded : .exited(code)
        }
        return .signalled(signal)
    }

    private enum Spawned: Sendable {
        case success((pid_t, Int32))
        case failure(String)
    }

    /// Runs on the spawn thread.
    private static func spawn(_ command: String, environment: [String], logFD: Int32, guardianFD: Int32) -> Spawned {
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) }
        envp.append(nil)
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        let result = command.withCString { cCommand in qc_spawn_job(cCommand, &envp, logFD, guardianFD, &pid) }
        if result != 0 { return .failure(String(cString: strerror(result))) }
        let pidfd = qc_pidfd_open(pid)
        if pidfd < 0 {
            let reason = String(cString: strerror(errno))
            _ = kill(-pid, SIGKILL)
            JobGuardian.shared.groupDone(pid)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            return .failure("cannot watch the process: \(reason)")
        }
        return .success((pid, pidfd))
    }

    private func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }
}
