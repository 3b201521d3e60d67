import CQueueSpawn
import Foundation
import Synchronization

/// The one long-lived thread that starts every job process, waits for each to exit (a pidfd each, in one
/// `poll`) and times them out. A run costs this thread one wake-up to start it and one when it exits;
/// nothing else is woken per job.
///
/// Why one thread for all of it:
/// - `PR_SET_PDEATHSIG` fires when the *thread* that forked the child exits, not the process: a job
///   started from a pooled thread would be killed when the pool retires that thread. This thread lives
///   as long as the process.
/// - It never calls `waitpid(-1)`, so it cannot steal the exit status of children that other code in the
///   same process (Foundation's `Process`, a test harness) waits for.
/// - When a job's leader exits, it kills whatever is left of the process group while the zombie leader
///   still reserves the group id, tells the guardian the group is done, then reaps it: no job process
///   outlives its run, and no pgid it signals can have been recycled.
final class JobProcessThread: Sendable {
    /// One run to start.
    struct Launch: Sendable {
        /// Run as `/bin/sh -c command`.
        var command: String
        /// `NAME=value` entries.
        var environment: [String]
        /// The run's log, stdout and stderr of the job; the thread closes it once the job started.
        var logFD: Int32
        /// When the group gets SIGTERM (nil: no limit).
        var timeout: Duration?
        /// How long after SIGTERM the group gets SIGKILL.
        var grace: Duration
        /// Told the pid, the timeout's signals and the exit.
        var process: RunningProcess
    }

    /// How a run ended, as this thread saw it.
    enum Ended: Sendable {
        /// No process ran, for this reason.
        case failedToStart(String)
        /// The leader exited with this raw wait status (nil: `waitpid` failed, the status is unknown).
        case exited(Int32?)
    }

    private struct Request {
        var launch: Launch
        var continuation: CheckedContinuation<Ended, Never>
    }

    private struct Watch {
        var pid: pid_t
        var pidfd: Int32
        var entry: JobGuardian.Entry
        var launch: Launch
        var continuation: CheckedContinuation<Ended, Never>
        /// The next timeout step due: SIGTERM, then SIGKILL.
        var nextSignalAt: ContinuousClock.Instant?
        var terminated = false
    }

    private let requests = Mutex<[Request]>([])
    /// Cancelled runs (already sent SIGTERM) and their grace until SIGKILL, for the loop to schedule.
    private let escalations = Mutex<[(process: RunningProcess, grace: Duration)]>([])
    private let wakeFD: Int32

    /// The process-wide thread, started on first use.
    static let shared = JobProcessThread()

    private init() {
        wakeFD = qc_wake_open()
        let thread = Thread { [self] in loop() }
        thread.name = "queuectl-jobs"
        thread.start()
    }

    /// Starts `launch` and returns once its leader has exited (or could not start).
    func run(_ launch: Launch) async -> Ended {
        await withCheckedContinuation { continuation in
            requests.withLock { $0.append(Request(launch: launch, continuation: continuation)) }
            qc_wake_signal(wakeFD)
        }
    }

    /// Schedules SIGKILL for `process`'s group `grace` from now (it was just sent SIGTERM by a cancel), the
    /// way a timeout escalates; a sooner SIGKILL already scheduled stays.
    func escalate(_ process: RunningProcess, after grace: Duration) {
        escalations.withLock { $0.append((process, grace)) }
        qc_wake_signal(wakeFD)
    }

    private func loop() {
        var watches: [Watch] = []
        var descriptors: [pollfd] = []
        while true {
            descriptors.removeAll(keepingCapacity: true)
            descriptors.append(pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0))
            for watch in watches { descriptors.append(pollfd(fd: watch.pidfd, events: Int16(POLLIN), revents: 0)) }
            var timeout = Self.milliseconds(until: watches)
            // Without an eventfd (out of descriptors) nothing can wake the poll: look for new runs every 10 ms.
            if wakeFD < 0 { timeout = timeout < 0 ? 10 : min(timeout, 10) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
            if ready < 0 { continue }
            if descriptors[0].revents != 0 {
                qc_wake_drain(wakeFD)
            }
            // Exits first: the descriptors array matches `watches` as it was before this round's starts.
            var index = watches.count
            while index > 0 {
                index -= 1
                if descriptors[index + 1].revents != 0 { finish(watches.remove(at: index)) }
            }
            let started = requests.withLock { queue -> [Request] in
                let taken = queue
                queue.removeAll(keepingCapacity: true)
                return taken
            }
            for request in started {
                if let watch = start(request) { watches.append(watch) }
            }
            let now = ContinuousClock.now
            for escalation in escalations.withLock({ pending in defer { pending.removeAll() }; return pending }) {
                // A run already gone needs nothing: its group was killed when its leader exited.
                guard let index = watches.firstIndex(where: { $0.launch.process === escalation.process }) else { continue }
                let killAt = now + escalation.grace
                let scheduledKill = watches[index].terminated ? watches[index].nextSignalAt : nil
                watches[index].terminated = true
                watches[index].nextSignalAt = scheduledKill.map { min($0, killAt) } ?? killAt
            }
            for index in watches.indices {
                guard let due = watches[index].nextSignalAt, due <= now else { continue }
                if watches[index].terminated {
                    watches[index].launch.process.timeOut(with: SIGKILL)
                    watches[index].nextSignalAt = nil
                } else {
                    watches[index].launch.process.timeOut(with: SIGTERM)
                    watches[index].terminated = true
                    watches[index].nextSignalAt = now + watches[index].launch.grace
                }
            }
        }
    }

    /// The poll timeout: until the earliest timeout step, or -1 (none due).
    private static func milliseconds(until watches: [Watch]) -> Int32 {
        guard let due = watches.compactMap(\.nextSignalAt).min() else { return -1 }
        let left = ContinuousClock.now.duration(to: due)
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        return Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    private func start(_ request: Request) -> Watch? {
        let launch = request.launch
        defer { close(launch.logFD) }
        let entry = JobGuardian.shared.lend()
        var envp: [UnsafeMutablePointer<CChar>?] = launch.environment.map { strdup($0) }
        envp.append(nil)
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        let result = launch.command.withCString { qc_spawn_job($0, &envp, launch.logFD, entry.address, &pid) }
        if result != 0 {
            JobGuardian.shared.giveBack(entry)
            request.continuation.resume(returning: .failedToStart(String(cString: strerror(result))))
            return nil
        }
        let pidfd = qc_pidfd_open(pid)
        if pidfd < 0 {
            let reason = String(cString: strerror(errno))
            _ = kill(-pid, SIGKILL)
            JobGuardian.shared.giveBack(entry)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            request.continuation.resume(returning: .failedToStart("cannot watch the process: \(reason)"))
            return nil
        }
        launch.process.started(pid: pid)
        return Watch(
            pid: pid, pidfd: pidfd, entry: entry, launch: launch, continuation: request.continuation,
            nextSignalAt: launch.timeout.map { ContinuousClock.now + $0 })
    }

    private func finish(_ watch: Watch) {
        _ = kill(-watch.pid, SIGKILL)
        // The zombie leader still reserves the group id: it is marked exited (nobody signals it any more)
        // and the guardian forgets it before the pid can be reused.
        watch.launch.process.exited()
        JobGuardian.shared.giveBack(watch.entry)
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(watch.pid, &status, 0) } while result < 0 && errno == EINTR
        close(watch.pidfd)
        watch.continuation.resume(returning: .exited(result == watch.pid ? status : nil))
    }
}
