import Foundation

/// Finds and kills processes left behind by a run whose worker is gone, by the variables every
/// job process carries (`QUEUECTL_WORKER`, `QUEUECTL_JOB_ID`, `QUEUECTL_ATTEMPT`): a job that
/// moved children out of its process group, or outlived its worker's death signal, is still found.
///
/// A run is matched by all three: job ids and attempts repeat across data directories and stores that
/// share a host, worker ids do not (they are unique per process incarnation).
enum JobProcessSweeper {
    /// One run to match: job id, attempt and the worker that ran it.
    struct Run: Hashable {
        var jobID: String
        var attempt: String
        var worker: String
    }

    /// SIGKILLs every process of this user whose environment names a worker in `workers` or a run
    /// in `runs` (job id, attempt and worker id all equal). Returns how many were signalled.
    @discardableResult
    static func killProcesses(ofWorkers workers: Set<String>, runs: Set<Run> = []) -> Int {
        guard !workers.isEmpty || !runs.isEmpty else { return 0 }
        let me = getpid()
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 0 }
        var killed = 0
        for entry in entries {
            guard let pid = Int32(entry), pid != me, pid > 1 else { continue }
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ"), !data.isEmpty else {
                continue
            }
            var worker: String?
            var jobID: String?
            var attempt: String?
            for variable in data.split(separator: 0) where variable.starts(with: Array("QUEUECTL_".utf8)) {
                let text = String(decoding: variable, as: UTF8.self)
                if text.hasPrefix("QUEUECTL_WORKER=") { worker = String(text.dropFirst(16)) }
                if text.hasPrefix("QUEUECTL_JOB_ID=") { jobID = String(text.dropFirst(16)) }
                if text.hasPrefix("QUEUECTL_ATTEMPT=") { attempt = String(text.dropFirst(17)) }
            }
            var matches = worker.map(workers.contains) ?? false
            if !matches, let jobID, let attempt, let worker {
                matches = runs.contains(Run(jobID: jobID, attempt: attempt, worker: worker))
            }
            if matches, kill(pid, SIGKILL) == 0 { killed += 1 }
        }
        return killed
    }
}
