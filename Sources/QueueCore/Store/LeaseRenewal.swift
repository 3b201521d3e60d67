import Foundation

/// What a lease renewal (`JobStore.renewLeases`) reports.
public struct LeaseRenewal: Sendable, Equatable {
    /// The strongest command held for the renewed workers (`.run` when none is registered).
    public var command: WorkerCommand
    /// The workers whose row exists (and whose lease was renewed); the others were deregistered.
    public var registered: Set<String>
    /// The runs (`processing` jobs) the store credits to the renewed workers.
    public var heldRuns: Set<JobClaim>

    public init(command: WorkerCommand, registered: Set<String>, heldRuns: Set<JobClaim>) {
        self.command = command
        self.registered = registered
        self.heldRuns = heldRuns
    }
}
