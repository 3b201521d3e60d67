import Foundation
import QueueCore
import Testing

/// The one liveness rule: live while the last heartbeat is at most the lease timeout old.
@Suite("Worker lease")
struct WorkerLeaseTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a heartbeat exactly the timeout old is live; one millisecond older is not")
    func boundary() {
        let lease = WorkerLease(timeout: 30)
        #expect(lease.isLive(heartbeat: Self.now.addingTimeInterval(-30), at: Self.now))
        #expect(!lease.isLive(heartbeat: Self.now.addingTimeInterval(-30.001), at: Self.now))
        #expect(lease.isLive(heartbeat: Self.now, at: Self.now))
    }

    @Test("the cut-off the stores compare with is now minus the timeout in whole milliseconds")
    func cutoff() {
        #expect(WorkerLease(timeout: 30).milliseconds == 30_000)
        #expect(WorkerLease(timeout: 0.0015).milliseconds == 2)
        #expect(WorkerLease(timeout: 30).liveSince(now: 100_000) == 70_000)
        #expect(WorkerLease(timeout: 30).liveSince(Self.now) == 1_800_000_000_000 - 30_000)
    }

    @Test("WorkerRecord applies the same rule")
    func record() {
        let record = WorkerRecord(
            id: "w", pid: 1, host: "h", processStart: 1, queues: [], job: nil, startedAt: Self.now,
            heartbeatAt: Self.now.addingTimeInterval(-30), command: .run)
        #expect(record.isLive(at: Self.now, leaseTimeout: 30))
        #expect(!record.isLive(at: Self.now.addingTimeInterval(0.001), leaseTimeout: 30))
        #expect(record.state(now: Self.now.addingTimeInterval(1), leaseTimeout: 30) == "lost")
    }
}
