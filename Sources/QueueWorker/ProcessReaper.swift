import Foundation
import Synchronization

/// Waits for job processes to exit, on one thread, with a pidfd per process.
///
/// It never calls `waitpid(-1)`, so it cannot steal the exit status of children that other code
/// in the same process (Foundation's `Process`, a test harness) waits for. When a job's leader
/// exits, the reaper kills whatever is left of its process group while the zombie leader still
/// reserves the group id, tells the guardian the group is done, then reaps it: no job process outlives its run.
final class ProcessReaper: Sendable {
    private struct Watch {
        var pid: pid_t
        var pidfd: Int32
        var continuation: CheckedContinuation<Int32?, Never>
    }

    private let watches = Mutex<[Watch]>([])
    private let wakeFD: Int32
    private let wakeWriteFD: Int32

    /// The process-wide reaper, started on first use.
    static let shared = ProcessReaper()

    private init() {
        var ends: [Int32] = [-1, -1]
        _ = pipe(&ends)
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, O_NONBLOCK)
        }
        wakeFD = ends[0]
        wakeWriteFD = ends[1]
        let thread = Thread { [self] in loop() }
        thread.name = "queuectl-reaper"
        thread.start()
    }

    /// Waits until `pid` (whose `pidfd` the caller opened right after starting it) exits, and
    /// returns its raw wait status, or nil when `waitpid` failed (the status is unknown: someone else
    /// reaped it). Takes ownership of `pidfd`.
    func waitForExit(pid: pid_t, pidfd: Int32) async -> Int32? {
        await withCheckedContinuation { continuation in
            watches.withLock { $0.append(Watch(pid: pid, pidfd: pidfd, continuation: continuation)) }
            var one: UInt8 = 1
            _ = write(wakeWriteFD, &one, 1)
        }
    }

    private func loop() {
        var descriptors: [pollfd] = []
        while true {
            let current = watches.withLock { $0.map { ($0.pid, $0.pidfd) } }
            descriptors.removeAll(keepingCapacity: true)
            descriptors.append(pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0))
            for (_, pidfd) in current { descriptors.append(pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
            if ready < 0 { continue }
            if descriptors[0].revents != 0 {
                var drain = [UInt8](repeating: 0, count: 64)
                while read(wakeFD, &drain, 64) > 0 {}
            }
            for (index, entry) in current.enumerated() where descriptors[index + 1].revents != 0 {
                _ = kill(-entry.0, SIGKILL)
                // The zombie leader still reserves the group id: the guardian forgets it before it can be reused.
                JobGuardian.shared.groupDone(entry.0)
                var status: Int32 = 0
                var result: pid_t
                repeat { result = waitpid(entry.0, &status, 0) } while result < 0 && errno == EINTR
                close(entry.1)
                let finished = watches.withLock { list -> Watch? in
                    guard let position = list.firstIndex(where: { $0.pid == entry.0 }) else { return nil }
                    return list.remove(at: position)
                }
                finished?.continuation.resume(returning: result == entry.0 ? status : nil)
            }
        }
    }
}
