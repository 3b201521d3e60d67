import Foundation
import QueueCore
import Testing

/// The note of `wait` and `logs --follow` when no live worker could run what they wait for.
@Suite("Worker availability")
struct WorkerAvailabilityTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func worker(_ id: String, queues: [String] = [], heartbeatAgo: TimeInterval = 1, command: WorkerCommand = .run)
        -> WorkerRecord
    {
        WorkerRecord(
            id: id, pid: 1, host: "h", processStart: 1, queues: queues, job: nil, startedAt: now.addingTimeInterval(-100),
            heartbeatAt: now.addingTimeInterval(-heartbeatAgo), command: command)
    }

    static func job(queue: String = "default", state: JobState = .pending) -> Job {
        Job(id: JobID(trusted: "j"), command: "true", maxRetries: 0, runAt: now, queue: queue, state: state, createdAt: now)
    }

    static let noWorker = "no worker is running; start one with 'queuectl worker start'"

    @Test("no worker, or only lost or stopping ones: start one")
    func noLiveWorker() {
        for workers in [[], [Self.worker("lost", heartbeatAgo: 60)], [Self.worker("leaving", command: .drain)]] {
            #expect(WorkerAvailability(workers: workers, now: Self.now, leaseTimeout: 30).note(for: [Self.job()]) == Self.noWorker)
        }
    }

    @Test("live workers that serve other queues: name the queue")
    func otherQueues() {
        let availability = WorkerAvailability(workers: [Self.worker("w", queues: ["reports"])], now: Self.now, leaseTimeout: 30)
        #expect(
            availability.note(for: [Self.job(queue: "emails")])
                == "no running worker serves queue 'emails'; start one with 'queuectl worker start --queue emails'")
    }

    @Test("a live worker serving the queue, or every queue, or only finished jobs: no note")
    func noNote() {
        let serving = WorkerAvailability(
            workers: [Self.worker("a", queues: ["emails"]), Self.worker("b", queues: ["x"])], now: Self.now, leaseTimeout: 30)
        #expect(serving.note(for: [Self.job(queue: "emails")]) == nil)
        let everyQueue = WorkerAvailability(workers: [Self.worker("all")], now: Self.now, leaseTimeout: 30)
        #expect(everyQueue.note(for: [Self.job(queue: "anything")]) == nil)
        let none = WorkerAvailability(workers: [], now: Self.now, leaseTimeout: 30)
        #expect(none.note(for: [Self.job(state: .completed), Self.job(state: .dead)]) == nil)
    }
}
