import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// The dashboard's log view of a job whose runs wrote no output (so have no log file).
@Suite("Dashboard: silent runs' log")
struct SilentRunLogRouteTests {
    @Test("a silent job's log shows its runs' headers and end lines, though it has no log file", arguments: TestBackend.all)
    func silentJobLog(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.enqueue([makeJob("hushed", createdAt: fixture.clock.now())])
        let job = try #require(try await fixture.store.claimJobs(registering: ["w1"], now: fixture.clock.now()).first)
        let lines = "--- attempt 1 · t1 · worker w1 ---\n--- end of attempt 1 · exited with code 0 · t2 ---\n"
        var result = RunResult(job: job, outcome: .succeeded, policy: RetryPolicy(base: 2, maximum: 60), now: fixture.clock.now())
        result.silentRunLog = LogMark(fileOffset: 0, bytes: Array(lines.utf8))
        #expect(try await fixture.store.recordResult(result, of: try #require(JobClaim(job))))
        #expect(!FileManager.default.fileExists(atPath: fixture.home.logFile(for: job.id)))
        try await fixture.test { client in
            let response = try await client.send(.get, "/api/jobs/hushed/log")
            #expect(response.status == .ok)
            #expect(response.object["text"] as? String == lines)
            #expect(response.object["size"] as? Int == lines.utf8.count)
            #expect(response.object["truncated"] as? Bool == false)
        }
    }
}
