import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `POST /api/jobs/{id}/cancel`.
@Suite("Cancel route")
struct CancelRouteTests {
    @Test("cancel of a waiting job answers it cancelled; a running one stays processing with a request for its worker", arguments: TestBackend.all)
    func cancel(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.enqueue([makeJob("running", createdAt: fixture.clock.now()), makeJob("waiting", createdAt: fixture.clock.now())])
        let claimed = try await fixture.store.claimJobs(registering: ["w1"], now: fixture.clock.now())
        #expect(claimed.map(\.id.rawValue) == ["running"])
        try await fixture.test { client in
            let response = try await client.send(.post, "/api/jobs/wait/cancel")
            #expect(response.status == .ok)
            #expect(response.object["id"] as? String == "waiting")
            #expect(response.object["state"] as? String == "cancelled")
            let running = try await client.send(.post, "/api/jobs/running/cancel")
            #expect(running.status == .ok)
            #expect(running.object["state"] as? String == "processing")
        }
        #expect(try await fixture.store.job(JobID(trusted: "waiting"))?.state == .cancelled)
        let requests = try await fixture.store.cancelRequests(for: ["w1"])
        #expect(requests.map(\.claim.jobID.rawValue) == ["running"])
        #expect(requests.map(\.grace) == [.seconds(10)])
    }

    @Test("cancel of a finished job is 409, of an unknown job 404, without the token 401", arguments: TestBackend.all)
    func refusals(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.makeDeadJob("doomed")
        try await fixture.enqueue([makeJob("kept", createdAt: fixture.clock.now())])
        try await fixture.test { client in
            let dead = try await client.send(.post, "/api/jobs/doomed/cancel")
            #expect(dead.status == .conflict)
            #expect(dead.errorMessage?.contains("'doomed' is dead") == true)
            let unknown = try await client.send(.post, "/api/jobs/ghost/cancel")
            #expect(unknown.status == .notFound)
            let anonymous = try await client.send(.post, "/api/jobs/kept/cancel", token: nil)
            #expect(anonymous.status == .unauthorized)
        }
        #expect(try await fixture.store.job(JobID(trusted: "kept"))?.state == .pending)
        #expect(try await fixture.store.job(JobID(trusted: "doomed"))?.state == .dead)
    }
}
