/// A `cancel` of a running job, as the worker holding it learns of it: the run to stop and how long its
/// process group gets between SIGTERM and SIGKILL.
public struct CancelRequest: Sendable, Equatable, Hashable {
    /// The run to stop (a request made during an earlier run of the job never names a later one).
    public var claim: JobClaim
    /// From SIGTERM to SIGKILL.
    public var grace: Duration

    public init(claim: JobClaim, grace: Duration) {
        self.claim = claim
        self.grace = grace
    }
}
