/// What `recordResult(_:of:thenClaimFrom:)` did.
public struct RecordedResult: Sendable, Equatable {
    /// Whether the result was written (the claim still held).
    public var applied: Bool
    /// The job claimed for the same worker after it, if one was asked for and due.
    public var next: Job?

    public init(applied: Bool, next: Job? = nil) {
        self.applied = applied
        self.next = next
    }
}
