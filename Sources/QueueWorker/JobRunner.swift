import Foundation
import QueueCore

/// Runs one attempt of a job: `/bin/sh -c COMMAND` in its own session and process group, output
/// appended to `logs/<id>.log` after a header line, the whole group killed on timeout, the group known
/// to this process's `JobGuardian` (which kills it if the worker dies), the duration measured by the
/// monotonic clock (`RunningProcess.runDuration`).
///
/// Spawning is hand-written (`qc_spawn_job`, vfork + exec from `JobProcessThread`) rather than
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

    /// A runner whose jobs start with `environment` (default: this process's) plus the variables naming their run.
    public init(
        home: QueueHome, clock: any TimeSource, killGrace: Duration = .seconds(2),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.home = home
        self.clock = clock
        self.killGrace = killGrace
        baseEnvironment = environment
            .filter { !Self.jobVariables.contains($0.key) }
            .map { "\($0.key)=\($0.value)" }
    }

    /// Runs `job` as claimed (its `attempts` is this run's number) for `worker`, until it exits,
    /// times out or `process` is aborted.
    public func run(_ job: Job, worker: String, process: RunningProcess) async -> RunEnd {
        let logPath = home.logFile(for: job.id)
        let logFD: Int32
        switch JobLog.openForAppending(logPath) {
        case .success(let descriptor): logFD = descriptor
        case .failure(let error): return .finished(.spawnFailed(error.description))
        }
        let header = "--- attempt \(job.attempts) · \(Timestamp.format(clock.now())) · worker \(worker) ---\n"
        writeAll(logFD, header)

        let environment =
            baseEnvironment + [
                "QUEUECTL_JOB_ID=\(job.id.rawValue)", "QUEUECTL_ATTEMPT=\(job.attempts)", "QUEUECTL_WORKER=\(worker)",
            ]
        let launch = JobProcessThread.Launch(
            command: job.command, environment: environment, logFD: logFD,
            timeout: job.timeout > 0 ? .seconds(job.timeout) : nil, grace: killGrace, process: process)
        let status: Int32?
        switch await JobProcessThread.shared.run(launch) {
        case .failedToStart(let reason):
            return .finished(.spawnFailed(reason))
        case .exited(let exitStatus):
            status = exitStatus
        }
        if process.wasAborted { return .aborted }
        if process.wasFenced { return .finished(.workerLost) }
        if process.wasTimedOut { return .finished(.timedOut(seconds: job.timeout)) }
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
