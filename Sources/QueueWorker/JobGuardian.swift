import CQueueSpawn
import Foundation

/// One guardian process per worker process (`qc_guardian_start`): it learns of every job process
/// group as it is spawned (+pgid, written by the job's own child before it runs any code) and as it is
/// done (-pgid, written by the reaper after it killed the rest of the group and before it reaps the
/// leader, so a remembered pgid can never be a recycled one). When the worker dies, however it dies, the
/// guardian reads end of file and SIGKILLs every group it still remembers.
///
/// `PR_SET_PDEATHSIG` alone is not enough: it is set on `/bin/sh` only and its children do not inherit it,
/// so `sleep 1000 &` in a job would outlive a `kill -9` of the worker (the only one left to notice
/// would be another worker's recovery, and there may be none). The guardian costs one fork per worker
/// process, and one 4-byte pipe write per job start and end: nothing extra is forked or executed per job.
final class JobGuardian: Sendable {
    /// The write end of the guardian's pipe (close-on-exec), or -1 when no guardian could be started.
    let descriptor: Int32
    /// The guardian's pid, 0 when none runs.
    let pid: pid_t

    /// The guardian of this process, forked on first use.
    static let shared = JobGuardian()

    private init() {
        // A write to the pipe of a guardian that was killed must fail with EPIPE, not kill the worker.
        signal(SIGPIPE, SIG_IGN)
        var descriptor: Int32 = -1
        var pid: pid_t = 0
        if qc_guardian_start(&descriptor, &pid) == 0 {
            self.descriptor = descriptor
            self.pid = pid
        } else {
            self.descriptor = -1
            self.pid = 0
        }
    }

    /// Tells the guardian that the group `pgid` is done (killed and about to be reaped).
    func groupDone(_ pgid: pid_t) {
        guard descriptor >= 0, pgid > 0 else { return }
        _ = qc_guardian_send(descriptor, -pgid)
    }
}
