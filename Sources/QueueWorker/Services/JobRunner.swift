import Foundation
import QueueCore

/// Runs one attempt of a job: `/bin/sh -c COMMAND` in its own session and process group, output
/// appended to `logs/<id>.log` between a header line and an end line saying how the run ended
/// (`RunLogLine`; for a run that writes nothing, both go to the store instead of a file), the whole group
/// killed on timeout, the group known to this process's `JobGuardian`
/// (which kills it if the worker dies), the duration measured by the monotonic clock
/// (`RunningProcess.runDuration`).
///
/// Spawning is hand-written (`qc_spawn_job`, clone as vfork + exec from `JobProcessThread`) rather than
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
    private let baseEnvironment: JobEnvironment

    /// Variables every job gets, naming its run, and the one a job gets while snoozing is on (never inherited
    /// from the worker's own environment).
    static let jobVariables = ["QUEUECTL_JOB_ID", "QUEUECTL_ATTEMPT", "QUEUECTL_WORKER", "QUEUECTL_SNOOZE_EXIT_CODE"]

    /// A runner whose jobs start with `environment` (default: this process's) plus the variables naming their run.
    public init(
        home: QueueHome, clock: any TimeSource, killGrace: Duration = .seconds(2),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.home = home
        self.clock = clock
        self.killGrace = killGrace
        baseEnvironment = JobEnvironment(
            environment
                .filter { !Self.jobVariables.contains($0.key) }
                .map { "\($0.key)=\($0.value)" })
    }

    /// Runs `job` as claimed (its `attempts` is this run's number) for `worker`, until it exits,
    /// times out or `process` is aborted. `policy` holds the exit-code rules the run is told of
    /// (`QUEUECTL_SNOOZE_EXIT_CODE` while snoozing is on) and that its end line tells the verdict of
    /// (snoozed, not retried); nil: none.
    ///
    /// A run that writes output gets its log file (created on the first byte, header first) and its end line
    /// there. A run that writes nothing touches no file: its header and end line come back in the report, for
    /// the store to keep, placed at the file's current size (one `stat`, of a file that usually does not exist).
    /// A log file that cannot be opened (a symbolic link or a FIFO planted in its place) ends the run at its
    /// first byte as one that could not start, so nothing is written through it.
    public func run(_ job: Job, worker: String, process: RunningProcess, policy: RetryPolicy? = nil) async -> RunReport {
        let logPath = home.logFile(for: job.id)
        // Stamped with the claim's start, as a reader showing the header of a run that printed nothing yet does.
        let startedAt = job.startedAt ?? clock.now()
        let header = RunLogLine.Header(attempt: job.attempts, start: startedAt, worker: worker)
        var runVariables = [
            "QUEUECTL_JOB_ID=\(job.id.rawValue)", "QUEUECTL_ATTEMPT=\(job.attempts)", "QUEUECTL_WORKER=\(worker)",
        ]
        if let snooze = policy?.snooze { runVariables.append("QUEUECTL_SNOOZE_EXIT_CODE=\(snooze.exitCode)") }
        let launch = JobProcessThread.Launch(
            command: job.command, environment: baseEnvironment, runVariables: runVariables, logPath: logPath, header: header,
            timeout: job.timeout > 0 ? .seconds(job.timeout) : nil, grace: killGrace, process: process)
        let end: RunEnd
        let told: String
        var output = JobProcessThread.CapturedOutput()
        // On a slot's own thread the process starts there, right after the claim (see `JobProcessThread`).
        switch await (JobProcessThread.current ?? .shared).run(launch) {
        case .failedToStart(let reason):
            end = .finished(.spawnFailed(reason))
            told = RunLogLine.describe(.spawnFailed(reason))
        case .exited(let status, let captured):
            output = captured
            // A cancel decided before the exit (`RunningProcess.cancel`) wins over how the process ended.
            if process.wasCancelled {
                (end, told) = (.finished(.cancelled), RunLogLine.describe(.cancelled))
            } else if process.wasAborted {
                (end, told) = (.aborted, RunLogLine.interrupted)
            } else if process.wasFenced {
                (end, told) = (.finished(.workerLost), RunLogLine.fenced)
            } else if let failure = captured.failure {
                (end, told) = (.finished(.spawnFailed(failure)), RunLogLine.describe(.spawnFailed(failure)))
            } else {
                let outcome: RunOutcome =
                    process.wasTimedOut ? .timedOut(seconds: job.timeout) : Self.outcome(ofWaitStatus: status)
                let verdict = policy?.verdict(on: outcome, of: job).errorDescription
                (end, told) = (.finished(outcome), verdict ?? RunLogLine.describe(outcome))
            }
        }
        let endedAt = clock.now()
        guard let file = output.file else {
            var status = stat()
            let fileSize = stat(logPath, &status) == 0 ? Int(status.st_size) : 0
            let lines = SilentRunLines(
                attempt: job.attempts, startedAt: Timestamp.milliseconds(startedAt), worker: worker, ending: told,
                endedAt: Timestamp.milliseconds(endedAt))
            return RunReport(end: end, silentRunLog: LogMark(fileOffset: fileSize, silentRun: lines))
        }
        let endLine = RunLogLine.end(attempt: job.attempts, told, at: endedAt)
        file.appendOutput(endLine.bytes(after: output.lastByte)[...])
        file.closeDescriptor()
        return RunReport(end: end)
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
}
