import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `"after"` over the API: `POST /api/jobs` resolves it through the same operation as `enqueue`, and
/// `GET /api/jobs/{id}/dependencies` lists what a job runs after, each with its state and whether it still waits.
@Suite("Dependencies over the API")
struct DependencyRouteTests {
    @Test("a job enqueued with 'after' lists its dependencies with their states; an unknown one is refused", arguments: TestBackend.all)
    func dependencies(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.test { client in
            _ = try await client.send(.post, "/api/jobs", body: #"[{"id":"build","command":"true"},{"id":"gone","command":"true"}]"#)
            let job = try await client.send(.post, "/api/jobs", body: #"{"id":"deploy","command":"true","after":["build","gone"]}"#)
            #expect(job.object["after"] as? [String] == ["build", "gone"])
            _ = try await client.send(.delete, "/api/jobs/gone")

            let listed = try await client.send(.get, "/api/jobs/deploy/dependencies")
            #expect(listed.objects.map { $0["id"] as? String } == ["build", "gone"])
            #expect(listed.objects.first?["state"] as? String == "pending")
            #expect(listed.objects.first?["waiting"] as? Bool == true)
            #expect(listed.objects.last?["state"] is NSNull)
            #expect(listed.objects.last?["waiting"] as? Bool == false)
            // Removing `gone` before it completed cancelled `deploy`.
            let deploy = try await client.send(.get, "/api/jobs/deploy")
            #expect(deploy.object["state"] as? String == "cancelled")
            #expect(deploy.object["last_error"] as? String == "dependency gone removed")

            let unknown = try await client.send(.post, "/api/jobs", body: #"{"command":"true","after":["nosuch"]}"#)
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.errorMessage?.contains("no job with id 'nosuch'") == true, "\(unknown.text)")
        }
        #expect(try await fixture.store.jobs(JobFilter()).map(\.id.rawValue) == ["build", "deploy"])
    }
}
