/// Identifies one run of one job: the fencing token for every write about that run.
public struct JobClaim: Sendable, Equatable, Hashable {
    /// The job.
    public var jobID: JobID
    /// The attempt number of the run (the job's `attempts` right after the claim).
    public var attempt: Int
    /// The worker that claimed it.
    public var worker: String

    public init(jobID: JobID, attempt: Int, worker: String) {
        self.jobID = jobID
        self.attempt = attempt
        self.worker = worker
    }

    /// The claim a `processing` job carries. Nil when the job has no worker.
    public init?(_ job: Job) {
        guard let worker = job.worker else { return nil }
        self.init(jobID: job.id, attempt: job.attempts, worker: worker)
    }
}
