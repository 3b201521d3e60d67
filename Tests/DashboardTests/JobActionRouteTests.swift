import Foundation
import HummingbirdTesting
import QueueCore
@testable import QueueDashboard
import QueueTestSupport
import Testing

/// The API of `remove`, `restart`, `promote` and `purge`: the commands' rules, with 404, 409 and 400 answers.
@Suite("Dashboard API: remove, restart, promote, purge")
struct JobActionRouteTests {
    @Test("restart puts a dead job back to pending; a waiting job is 409 and an unknown one 404",
          arguments: TestBackend.all)
    func restart(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.makeDeadJob("doomed")
        try await fixture.enqueue([makeJob("waiting", createdAt: fixture.clock.now())])
        try await fixture.test { client in
            let response = try await client.send(.post, "/api/jobs/doomed/restart")
            #expect(response.status == .ok)
            #expect(response.object["state"] as? String == "pending" && response.object["attempts"] as? Int == 0)
            let refused = try await client.send(.post, "/api/jobs/waiting/restart")
            #expect(refused.status == .conflict)
            #expect(refused.errorMessage?.hasPrefix("cannot restart job 'waiting': it is pending") == true)
            #expect(try await client.send(.post, "/api/jobs/ghost/restart").status == .notFound)
        }
        #expect(try await fixture.store.job(JobID(trusted: "doomed"))?.state == .pending)
    }

    @Test("promote makes a delayed job due now; a dead one is 409", arguments: TestBackend.all)
    func promote(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        let now = fixture.clock.now()
        try await fixture.enqueue([makeJob("later", runAt: now.addingTimeInterval(3600), createdAt: now)])
        try await fixture.makeDeadJob("doomed")
        try await fixture.test { client in
            let response = try await client.send(.post, "/api/jobs/later/promote")
            #expect(response.status == .ok)
            #expect(response.object["run_at"] as? String == Timestamp.format(fixture.clock.now()))
            #expect(try await client.send(.post, "/api/jobs/doomed/promote").status == .conflict)
        }
    }

    @Test("DELETE removes a job and its log; a processing job is 409, and needs the token", arguments: TestBackend.all)
    func remove(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.makeDeadJob("doomed")
        try await writeJobLog("bye\n", of: JobID(trusted: "doomed"), store: fixture.store, home: fixture.home)
        try await fixture.enqueue([makeJob("running", createdAt: fixture.clock.now())])
        _ = try await fixture.store.claimJobs(registering: ["w1"], now: fixture.clock.now())
        try await fixture.test { client in
            #expect(try await client.send(.delete, "/api/jobs/doomed", token: nil).status == .unauthorized)
            let response = try await client.send(.delete, "/api/jobs/doomed")
            #expect(response.status == .ok)
            #expect(response.object["removed"] as? [String] == ["doomed"])
            #expect(try await client.send(.get, "/api/jobs/doomed").status == .notFound)
            let refused = try await client.send(.delete, "/api/jobs/running")
            #expect(refused.status == .conflict)
            #expect(refused.errorMessage?.contains("processing") == true)
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.home.logFile(for: JobID(trusted: "doomed"))))
        #expect(try await fixture.store.job(JobID(trusted: "running"))?.state == .processing)
    }

    @Test("purge counts first with dry_run, then deletes; an unfinished state or a bad age is 400",
          arguments: TestBackend.all)
    func purge(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        let now = fixture.clock.now()
        try await fixture.enqueue([
            makeFinishedJob("old", finishedAt: now.addingTimeInterval(-7200)),
            makeFinishedJob("new", finishedAt: now.addingTimeInterval(-60)),
        ])
        try await fixture.test { client in
            let counted = try await client.send(.post, "/api/purge?state=completed&older_than=1h&dry_run=1")
            #expect(counted.status == .ok)
            #expect(counted.text == #"{"dry_run":true,"count":1,"ids":["old"]}"#)
            #expect(try await fixture.store.job(JobID(trusted: "old")) != nil)
            let purged = try await client.send(.post, "/api/purge?state=completed&older_than=1h")
            #expect(purged.text == #"{"dry_run":false,"count":1,"ids":["old"]}"#)
            #expect(try await client.send(.post, "/api/purge?state=pending").status == .badRequest)
            #expect(try await client.send(.post, "/api/purge").status == .badRequest)
            #expect(try await client.send(.post, "/api/purge?state=completed&older_than=-1").status == .badRequest)
            #expect(try await client.send(.post, "/api/purge?state=completed&dry_run=maybe").status == .badRequest)
            #expect(try await client.send(.post, "/api/purge?state=completed", token: nil).status == .unauthorized)
        }
        #expect(try await fixture.store.jobs(JobFilter()).map(\.id.rawValue) == ["new"])
    }

    @Test("the page offers each action for exactly the states the core's rules accept")
    func pageActionStates() throws {
        #expect(Page.actionStates.contains(#"promote:["pending","failed"]"#))
        let remove = try #require(Page.actionStates.split(separator: "remove:").last?.split(separator: "]").first)
        #expect(remove.contains(#""pending""#) && remove.contains(#""dead""#) && !remove.contains("processing"))
        let html = Page.html
        #expect(html.contains("const actionStates = " + Page.actionStates + ";"))
        #expect(html.contains(#"id="purge""#) && html.contains("detail-remove") && html.contains("confirm("))
    }
}
