import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import QueueCore
import QueueDashboard
import QueueTestSupport
import Testing

@Suite("Schedules API")
struct ScheduleRouteTests {
    @Test("GET /api/schedules answers what schedule list --json prints, and only with the token", arguments: TestBackend.all)
    func schedules(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.store.addTestSchedule(
            "nightly", spec: try ScheduleSpec(cron: "30 2 * * *", timeZone: "Europe/Berlin"), command: "backup.sh",
            queue: "ops", addedAt: testEpoch)
        try await fixture.test { client in
            for token in [nil, "wrong"] {
                #expect(try await client.send(.get, "/api/schedules", token: token).status == .unauthorized)
            }
            let response = try await client.send(.get, "/api/schedules")
            #expect(response.status == .ok)
            #expect(
                response.text
                    == #"[{"name":"nightly","cron":"30 2 * * *","every":null,"command":"backup.sh","queue":"ops","priority":0,"timeout":null,"max_retries":null,"tz":"Europe/Berlin","next_run_at":"2027-01-16T01:30:00Z","last_run_at":null,"last_job":null}]"#,
                "\(response.text)")
        }
    }

    @Test("the page has a schedules list filled from /api/schedules")
    func pageListsSchedules() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.test { client in
            let page = try await client.send(.get, "/", token: nil)
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<tbody id="schedules"></tbody>"#))
            #expect(page.text.contains(#"api("GET", "/api/schedules")"#))
        }
    }
}
