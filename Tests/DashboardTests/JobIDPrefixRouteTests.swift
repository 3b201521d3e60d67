import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import QueueCore
import QueueDashboard
import QueueTestSupport
import Testing

/// The job routes take a unique id prefix, as the command line does (one resolver below both).
@Suite("job id prefixes in the API")
struct JobIDPrefixRouteTests {
    @Test("a unique prefix names its job; an ambiguous one is 409 naming candidates", arguments: TestBackend.all)
    func prefixes(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.enqueue(
            ["solo-1234", "pair-1", "pair-2"].map { makeJob($0, createdAt: fixture.clock.now()) })
        try await fixture.makeDeadJob("dead-5678")
        try await fixture.test { client in
            let job = try await client.send(.get, "/api/jobs/solo")
            #expect(job.status == .ok)
            #expect(job.object["id"] as? String == "solo-1234")
            #expect(try await client.send(.get, "/api/jobs/solo-12/log").status == .ok)
            let ambiguous = try await client.send(.get, "/api/jobs/pair")
            #expect(ambiguous.status == .conflict)
            #expect(ambiguous.errorMessage?.contains("'pair-1', 'pair-2'") == true, "\(ambiguous.text)")
            let retried = try await client.send(.post, "/api/jobs/dead/retry")
            #expect(retried.status == .ok)
            #expect(retried.object["id"] as? String == "dead-5678")
        }
        #expect(try await fixture.store.job(JobID(trusted: "dead-5678"))?.state == .pending)
    }
}
