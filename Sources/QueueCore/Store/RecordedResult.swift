/// What `recordResult(_:of:thenClaimFrom:)` did.
public struct RecordedResult: Sendable, Equatable {
    /// Whether the result was written (the claim still held).
    public var applied: Bool
    /// The job claimed for the same worker after it, if one was asked for and due.
    public var next: Job?
    /// Whether the job ended `cancelled` instead of the result's disposition: a cancel request won over its
    /// retry or snooze (`RunResult.yieldsToCancelRequest`), and `cancelledCounterIncrements` were added.
    public var endedCancelled: Bool

    public init(applied: Bool, next: Job? = nil, endedCancelled: Bool = false) {
        self.applied = applied
        self.next = next
        self.endedCancelled = endedCancelled
    }
}
