import Foundation
import QueueCore
import Testing

/// A multi-worker claim answers in the order of its workers.
@Suite("Claim order")
struct ClaimOrderTests {
    static func job(_ id: String, worker: String?) -> Job {
        var job = Job(
            id: JobID(trusted: id), command: "true", maxRetries: 0, runAt: Date(timeIntervalSince1970: 0), queue: "default",
            state: .processing, createdAt: Date(timeIntervalSince1970: 0))
        job.worker = worker
        return job
    }

    @Test("jobs come back in the order of their workers, whatever order the statement returned")
    func byWorkerPosition() {
        let jobs = [Self.job("c", worker: "w3"), Self.job("a", worker: "w1"), Self.job("b", worker: "w2")]
        #expect(ClaimOrder.sorted(jobs, workers: ["w1", "w2", "w3"]).map(\.id.rawValue) == ["a", "b", "c"])
        #expect(ClaimOrder.sorted(jobs, workers: ["w3", "w1", "w2"]).map(\.id.rawValue) == ["c", "a", "b"])
    }

    @Test("workers that got nothing leave no gap")
    func missingWorkers() {
        let jobs = [Self.job("y", worker: "w4"), Self.job("x", worker: "w2")]
        #expect(ClaimOrder.sorted(jobs, workers: ["w1", "w2", "w3", "w4"]).map(\.id.rawValue) == ["x", "y"])
    }
}
