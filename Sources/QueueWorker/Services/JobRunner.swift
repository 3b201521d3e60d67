import Foundation
import QueueCore

/// Runs one attempt of a job: `/bin/sh -c COMMAND` in its own session and process group, output
/// appended to `logs/<id>.log` between a header line and an end line saying how the run ended
/// (`RunLogLine`), the whole group killed on timeout, the group known to this process's `JobGuardian`
/// (which kills it if the worker dies), the duration measured by the monotonic clock
/// (`RunningProcess.runDuration`).
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
        baseEnvironment = environment
            .filter { !Self.jobVariables.contains($0.key) }
            .map { "\($0.key)=\($0.value)" }
    }

    /// Runs `job` as claimed (its `attempts` is this run's number) for `worker`, until it exits,
    /// times out or `process` is aborted. `policy` holds the exit-code rules the run is told of
    /// (`QUEUECTL_SNOOZE_EXIT_CODE` while snoozing is on) and that its end line tells the verdict of
    /// (snoozed, not retried); nil: none.
    public func run(_ job: Job, worker: String, process: RunningProcess, policy: RetryPolicy? = nil) async -> RunEnd {
        let logPath = home.logFile(for: job.id)
        let log: JobLogFile
        switch JobLogFile.openForAppending(logPath) {
        case .success(let file): log = file
        case .failure(let error): return .finished(.spawnFailed(error.description))
        }
        defer { log.closeDescriptor() }
        // The header and the end line are the only writes queuectl adds to a run's log: a run that prints
        // nothing costs these two writes, two opens with their checks (this descriptor, which stays open for the
        // end line, and the job's write-only one) and two fstats, and no read (the end line knows the file still
        // ends where the header did).
        let headerEnd = log.append(.header(attempt: job.attempts, at: clock.now(), worker: worker))
        let logFD: Int32
        switch log.openForJobOutput() {
        case .success(let descriptor): logFD = descriptor
        case .failure(let error):
            let outcome = RunOutcome.spawnFailed(error.description)
            log.append(.end(attempt: job.attempts, RunLogLine.describe(outcome), at: clock.now()), knownEnd: headerEnd)
            return .finished(outcome)
        }

        var environment =
            baseEnvironment + [
                "QUEUECTL_JOB_ID=\(job.id.rawValue)", "QUEUECTL_ATTEMPT=\(job.attempts)", "QUEUECTL_WORKER=\(worker)",
            ]
        if let snooze = policy?.snooze { environment.append("QUEUECTL_SNOOZE_EXIT_CODE=\(snooze.exitCode)") }
        let launch = JobProcessThread.Launch(
            command: job.command, environment: environment, logFD: logFD,
            timeout: job.timeout > 0 ? .seconds(job.timeout) : nil, grace: killGrace, process: process)
        let end: RunEnd
        let told: String
        switch await JobProcessThread.shared.run(launch) {
        case .failedToStart(let reason):
            end = .finished(.spawnFailed(reason))
            told = RunLogLine.describe(.spawnFailed(reason))
        case .exited(let status):
            // A cancel decided before the exit (`RunningProcess.cancel`) wins over how the process ended.
            if process.wasCancelled {
                (end, told) = (.finished(.cancelled), RunLogLine.describe(.cancelled))
            } else if process.wasAborted {
                (end, told) = (.aborted, RunLogLine.interrupted)
            } else if process.wasFenced {
                (end, told) = (.finished(.workerLost), RunLogLine.fenced)
            } else {
                let outcome: RunOutcome =
                    process.wasTimedOut ? .timedOut(seconds: job.timeout) : Self.outcome(ofWaitStatus: status)
                let verdict = policy?.verdict(on: outcome, of: job).errorDescription
                (end, told) = (.finished(outcome), verdict ?? RunLogLine.describe(outcome))
            }
        }
        log.append(.end(attempt: job.attempts, told, at: clock.now()), knownEnd: headerEnd)
        return end
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
