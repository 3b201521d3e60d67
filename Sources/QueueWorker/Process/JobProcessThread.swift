import CQueueSpawn
import Foundation
import QueueCore
import Synchronization

/// A long-lived thread that starts job processes, waits for each to exit (a pidfd each, in one `poll`), times
/// them out and copies their output into their log files. A run costs this thread one wake-up to start it and
/// one when it exits; a run that writes output, a few more (see below).
///
/// It is also a task executor, the thread of a worker's slot on a store that answers on the calling thread
/// (`DedicatedThreadPreference`, SQLite): the slot's task runs here between its runs, writes the result and
/// claims the next job synchronously (the thread is a `DedicatedThread`), and the next process starts on the
/// same thread right after. A job then costs one wake-up in all, its exit: with the slot on a thread of its own
/// and the processes on another, each job also woke the slot's thread and then this one, two context switches
/// on the path from one job to the next while a core sat idle (a drain of `true` jobs left 20% of the machine
/// idle). The slot's task only runs while its own job is not running, so a write that waits for the lock
/// holds up nothing else. Jobs of stores without that power (PostgreSQL, whose slots run on its event loops)
/// all go to the one `shared` thread.
///
/// Why the output goes through a pipe: a run that writes nothing must create no file (an inode per silent
/// job doubled the worker's CPU per job after a mass deletion). The job's stdout and stderr are one pipe
/// this thread reads in the same `poll`; the log file is created, with the run's header, when the first
/// byte arrives. Reading costs no thread per job and no wake-up per write: a pipe is not watched during
/// the first `outputQuiet` of its run (a short job's output is read once, when it exits) nor for
/// `outputQuiet` after a read that emptied it, so a job that writes a line at a time wakes this thread at
/// most 40 times a second, while a flood (reads that fill the buffer) is copied as fast as it comes. What
/// is in the pipe when the leader exits is read before the run is reported ended, so the end line always
/// follows the whole output. Whatever of the group outlived its leader is killed then, as before; a
/// process that left the group (`setsid`) gets EPIPE once the run is over instead of writing on into a
/// finished run's log.
///
/// Why processes start on a thread that outlives them:
/// - `PR_SET_PDEATHSIG` fires when the *thread* that forked the child exits, not the process: a job
///   started from a pooled thread would be killed when the pool retires that thread. A slot's thread ends
///   (`stop()`) only once it watches no process; the shared one lives as long as the process.
/// - It never calls `waitpid(-1)`, so it cannot steal the exit status of children that other code in the
///   same process (Foundation's `Process`, a test harness) waits for.
/// - When a job's leader exits, it kills whatever is left of the process group while the zombie leader
///   still reserves the group id, tells the guardian the group is done, then reaps it: no job process
///   outlives its run, and no pgid it signals can have been recycled.
final class JobProcessThread: TaskExecutor, Sendable {
    /// One run to start.
    struct Launch: Sendable {
        /// Run as `/bin/sh -c command`.
        var command: String
        /// The variables every job of the runner gets.
        var environment: JobEnvironment
        /// The `NAME=value` entries naming this run, after `environment`'s.
        var runVariables: [String]
        /// The job's log file, created (with `header` written first) when the run writes its first byte.
        var logPath: String
        /// The run's header line, made only when the run writes its first byte: most runs write nothing.
        var header: RunLogLine.Header
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
        /// The leader exited with this raw wait status (nil: `waitpid` failed, the status is unknown), after
        /// writing `output`.
        case exited(Int32?, CapturedOutput)
    }

    /// What became of a run's output.
    struct CapturedOutput: Sendable {
        /// The log file, open for the end line; nil when the run wrote nothing (no file was created).
        var file: JobLogFile?
        /// The last byte of the output written to the file (whether the end line needs a newline before it).
        var lastByte: UInt8?
        /// Why the output could not be kept (its log file could not be opened: a symbolic link or a FIFO in its
        /// place, a missing directory); the run was killed when its first byte came. Nil when it was kept.
        var failure: String?
    }

    /// How long a pipe is left unwatched at the start of its run and after a read that emptied it.
    static let outputQuiet = Duration.milliseconds(25)
    /// The most output read at once.
    static let readBytes = 64 * 1024

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
        /// The read end of the job's output pipe (-1 once at its end).
        var pipe: Int32
        /// Until when the pipe is not watched.
        var quietUntil: ContinuousClock.Instant?
        var output = CapturedOutput()
    }

    private let requests = Mutex<[Request]>([])
    /// Tasks' jobs queued on this thread as an executor.
    private let runnable = Mutex<[UnownedJob]>([])
    /// Set by `stop()`: the thread ends once it has nothing left to run or watch.
    private let stopping = Atomic<Bool>(false)
    /// Cancelled runs (already sent SIGTERM) and their grace until SIGKILL, for the loop to schedule.
    private let escalations = Mutex<[(process: RunningProcess, grace: Duration)]>([])
    private let wakeFD: Int32

    /// The thread for processes started from anywhere but a slot's own thread, started on first use; never stopped.
    static let shared = JobProcessThread(name: "queuectl-jobs")

    /// The per-thread pointer that `current` reads.
    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The job thread the caller runs on, if it runs on one.
    static var current: JobProcessThread? {
        pthread_getspecific(currentKey).map { Unmanaged<JobProcessThread>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Starts the thread, named `name` (at most 15 bytes kept: shown by `top -H` and in `/proc/PID/task/*/comm`).
    init(name: String) {
        wakeFD = qc_wake_open()
        // The thread's closure holds `self` until the loop ends, so the unretained pointer stays valid while set.
        let thread = Thread { [self] in
            _ = pthread_setspecific(Self.currentKey, Unmanaged.passUnretained(self).toOpaque())
            DedicatedThread.markCurrent()
            nameCurrentThread(name)
            loop()
        }
        thread.start()
    }

    deinit {
        if wakeFD >= 0 { close(wakeFD) }
    }

    /// Queues a task's job to run on this thread; the thread wakes for it unless it queued it itself.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        runnable.withLock { $0.append(job) }
        if Self.current !== self { qc_wake_signal(wakeFD) }
    }

    /// Ends the thread once it has run what was queued and every process it watches has exited. Jobs and runs
    /// queued afterwards may never be taken: call it once no task prefers this thread any more.
    func stop() {
        stopping.store(true, ordering: .releasing)
        qc_wake_signal(wakeFD)
    }

    /// Starts `launch` and returns once its leader has exited (or could not start).
    func run(_ launch: Launch) async -> Ended {
        await withCheckedContinuation { continuation in
            requests.withLock { $0.append(Request(launch: launch, continuation: continuation)) }
            if Self.current !== self { qc_wake_signal(wakeFD) }
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
        // Left uninitialised: only `read` writes it, so a thread whose runs print nothing never touches its pages.
        var buffer = [UInt8](unsafeUninitializedCapacity: Self.readBytes) { _, count in count = Self.readBytes }
        let executor = asUnownedTaskExecutor()
        while true {
            // Work this thread queued itself (a start that failed resumed its task here) woke nobody; work queued
            // from elsewhere signalled the eventfd.
            let hasQueuedWork = !requests.withLock({ $0.isEmpty }) || !runnable.withLock({ $0.isEmpty })
            if watches.isEmpty, !hasQueuedWork, stopping.load(ordering: .acquiring) { return }
            descriptors.removeAll(keepingCapacity: true)
            descriptors.append(pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0))
            let polledAt = ContinuousClock.now
            for index in watches.indices {
                if let quiet = watches[index].quietUntil, quiet <= polledAt { watches[index].quietUntil = nil }
                let watch = watches[index]
                descriptors.append(pollfd(fd: watch.pidfd, events: Int16(POLLIN), revents: 0))
                // A negative descriptor is skipped by poll: a pipe at its end or resting.
                let pipe = watch.quietUntil == nil ? watch.pipe : -1
                descriptors.append(pollfd(fd: pipe, events: Int16(POLLIN), revents: 0))
            }
            var timeout = hasQueuedWork ? 0 : Self.milliseconds(until: watches)
            // Without an eventfd (out of descriptors) nothing can wake the poll: look for new runs every 10 ms.
            if wakeFD < 0 { timeout = timeout < 0 ? 10 : min(timeout, 10) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
            if ready < 0 { continue }
            if descriptors[0].revents != 0 {
                qc_wake_drain(wakeFD)
            }
            // Output and exits first: the descriptors array matches `watches` as it was before this round's starts.
            var index = watches.count
            while index > 0 {
                index -= 1
                if descriptors[2 * index + 2].revents != 0 { Self.readOutput(of: &watches[index], into: &buffer, draining: false) }
                if descriptors[2 * index + 1].revents != 0 { finish(watches.remove(at: index), buffer: &buffer) }
            }
            // The tasks resumed by those exits (a slot's, on its own thread) write their results and queue their next
            // runs, which start right below.
            runQueuedJobs(on: executor)
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

    /// Runs the tasks' jobs queued on this thread, in order, including those they queue meanwhile.
    private func runQueuedJobs(on executor: UnownedTaskExecutor) {
        while let next = runnable.withLock({ jobs in jobs.isEmpty ? nil : jobs.removeFirst() }) {
            next.runSynchronously(on: executor)
        }
    }

    /// The poll timeout: until the earliest timeout step or end of a pipe's rest, or -1 (none due).
    private static func milliseconds(until watches: [Watch]) -> Int32 {
        guard let due = (watches.compactMap(\.nextSignalAt) + watches.compactMap(\.quietUntil)).min() else { return -1 }
        let left = ContinuousClock.now.duration(to: due)
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        return Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    private func start(_ request: Request) -> Watch? {
        let launch = request.launch
        var ends: [Int32] = [-1, -1]
        guard qc_pipe_cloexec(&ends) == 0 else {
            request.continuation.resume(returning: .failedToStart("cannot create its output pipe: \(String(cString: strerror(errno)))"))
            return nil
        }
        // The job holds the only write end: the pipe ends when the job's processes are gone.
        defer { close(ends[1]) }
        // Only this end is non-blocking: the job's writes to its end block as they would to a file.
        _ = fcntl(ends[0], F_SETFL, O_NONBLOCK)
        let entry = JobGuardian.shared.lend()
        var pid: pid_t = 0
        var pidfd: Int32 = -1
        let result = launch.environment.withEnvironmentPointer(adding: launch.runVariables) { envp in
            launch.command.withCString { qc_spawn_job($0, envp, ends[1], entry.address, &pid, &pidfd) }
        }
        if result != 0 {
            close(ends[0])
            JobGuardian.shared.giveBack(entry)
            request.continuation.resume(returning: .failedToStart(String(cString: strerror(result))))
            return nil
        }
        // The spawn hands back the pidfd (CLONE_PIDFD); a kernel without that flag gives none.
        if pidfd < 0 { pidfd = qc_pidfd_open(pid) }
        if pidfd < 0 {
            let reason = String(cString: strerror(errno))
            close(ends[0])
            _ = kill(-pid, SIGKILL)
            JobGuardian.shared.giveBack(entry)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            request.continuation.resume(returning: .failedToStart("cannot watch the process: \(reason)"))
            return nil
        }
        launch.process.started(pid: pid, watchedBy: self)
        let now = ContinuousClock.now
        return Watch(
            pid: pid, pidfd: pidfd, entry: entry, launch: launch, continuation: request.continuation,
            nextSignalAt: launch.timeout.map { now + $0 }, pipe: ends[0], quietUntil: now + Self.outputQuiet)
    }

    /// Reads what the job wrote into its log: once (resting the pipe when that emptied it), or until the pipe
    /// is empty (`draining`, once the leader exited: a process that escaped the group could keep it open).
    private static func readOutput(of watch: inout Watch, into buffer: inout [UInt8], draining: Bool) {
        while watch.pipe >= 0 {
            let count = buffer.withUnsafeMutableBytes { read(watch.pipe, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                // At its end (every writer gone, or a read error): nothing more will come. Empty: wait for more.
                if count == 0 || errno != EAGAIN {
                    close(watch.pipe)
                    watch.pipe = -1
                }
                return
            }
            keep(buffer[0..<count], of: &watch)
            if !draining {
                if count < buffer.count { watch.quietUntil = .now + outputQuiet }
                return
            }
        }
    }

    /// Appends output to the run's log file, creating it with the run's header on the first byte. A file that
    /// cannot be opened ends the run (its output would be lost): the group is killed and the reason kept.
    private static func keep(_ bytes: ArraySlice<UInt8>, of watch: inout Watch) {
        guard watch.output.failure == nil else { return }
        if watch.output.file == nil {
            switch JobLogFile.openForAppending(watch.launch.logPath) {
            case .success(let file):
                file.append(watch.launch.header.line)
                watch.output.file = file
            case .failure(let error):
                watch.output.failure = error.description
                // The leader is not reaped yet (this thread reaps it), so the group id is still the job's.
                _ = kill(-watch.pid, SIGKILL)
                return
            }
        }
        watch.output.file?.appendOutput(bytes)
        watch.output.lastByte = bytes.last
    }

    private func finish(_ ended: Watch, buffer: inout [UInt8]) {
        var watch = ended
        _ = kill(-watch.pid, SIGKILL)
        // The zombie leader still reserves the group id: it is marked exited (nobody signals it any more)
        // and the guardian forgets it before the pid can be reused.
        watch.launch.process.exited()
        JobGuardian.shared.giveBack(watch.entry)
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(watch.pid, &status, 0) } while result < 0 && errno == EINTR
        close(watch.pidfd)
        Self.readOutput(of: &watch, into: &buffer, draining: true)
        if watch.pipe >= 0 { close(watch.pipe) }
        watch.continuation.resume(returning: .exited(result == watch.pid ? status : nil, watch.output))
    }
}
