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

    @Test("POST /api/schedules adds what schedule add would and answers its list document; DELETE removes it", arguments: TestBackend.all)
    func addAndRemove(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.test { client in
            let cron = try await client.send(
                .post, "/api/schedules",
                body: #"{"name":"nightly","cron":"30 2 * * *","tz":"Europe/Berlin","command":"backup.sh","queue":"ops","priority":5,"timeout":"15m","max_retries":2}"#)
            #expect(cron.status == .created, "\(cron.text)")
            #expect(
                cron.text
                    == #"{"name":"nightly","cron":"30 2 * * *","every":null,"command":"backup.sh","queue":"ops","priority":5,"timeout":900,"max_retries":2,"tz":"Europe/Berlin","next_run_at":"2027-01-16T01:30:00Z","last_run_at":null,"last_job":null}"#,
                "\(cron.text)")
            let every = try await client.send(
                .post, "/api/schedules", body: #"{"name":"heartbeat","every":90,"command":"ping.sh","timeout":null}"#)
            #expect(every.status == .created, "\(every.text)")
            #expect(
                every.text
                    == #"{"name":"heartbeat","cron":null,"every":90,"command":"ping.sh","queue":"default","priority":0,"timeout":null,"max_retries":null,"tz":"UTC","next_run_at":"2027-01-15T08:01:30Z","last_run_at":null,"last_job":null}"#,
                "\(every.text)")
            // The answers are exactly the elements of the list (what `schedule list --json` prints), by name.
            #expect(try await client.send(.get, "/api/schedules").text == "[\(every.text),\(cron.text)]")

            let removed = try await client.send(.delete, "/api/schedules/nightly")
            #expect(removed.status == .ok, "\(removed.text)")
            #expect(removed.text == #"{"removed":["nightly"]}"#)
            #expect(try await client.send(.get, "/api/schedules").text == "[\(every.text)]")
        }
    }

    @Test("a bad schedule body, a taken or unknown name and a missing token are refused, and change nothing", arguments: TestBackend.all)
    func refusals(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.store.addTestSchedule(
            "nightly", spec: try ScheduleSpec(cron: "30 2 * * *"), command: "backup.sh", addedAt: testEpoch)
        try await fixture.test { client in
            let before = try await client.send(.get, "/api/schedules").text
            #expect(before.hasPrefix(#"[{"name":"nightly""#), "\(before)")
            let badBodies: [(String, String)] = [
                (#"{"name":"a","cron":"61 * * * *","command":"x"}"#, "61"),
                (#"{"name":"a","cron":"0 * * * *","tz":"Mars/Olympus","command":"x"}"#, "Mars/Olympus"),
                (#"{"name":"a","every":"1m","command":"x","retries":3}"#, "unknown field 'retries'"),
                (#"{"name":"a","every":"1m"}"#, "missing 'command'"),
                (#"{"name":"a","every":"1m","command":"  "}"#, "the command is empty"),
                (#"{"name":"a","cron":"0 * * * *","every":"1m","command":"x"}"#, "give either 'cron' or 'every', not both"),
                (#"{"name":"a","command":"x"}"#, #"say when the schedule runs: "cron": "EXPR" or "every": "DURATION""#),
                (#"{"cron":"0 * * * *","command":"x"}"#, "missing 'name'"),
                (#"{"name":"no/slash","every":"1m","command":"x"}"#, "no/slash"),
                (#"{"name":"a","every":"0s","command":"x"}"#, "'every' must be at least 1s"),
                (#"{"name":"a","every":"soon","command":"x"}"#, "'every' takes"),
                (#"{"name":"a","every":true,"command":"x"}"#, "'every' must be whole seconds or a duration"),
                (#"{"name":"a","every":1.5,"command":"x"}"#, "'every' must be whole seconds or a duration like 30s, 15m, 2h, got 1.5"),
                (#"{"name":"a","every":"1m","command":"x","timeout":"soon"}"#, "'timeout' takes"),
                (#"{"name":"a","every":"1m","command":"x","priority":"high"}"#, "'priority' must be a whole number"),
                (#"{"name":"a","every":"1m","command":"x","queue":".hidden"}"#, "invalid queue name"),
                (#"{"name":"a","every":"1m","command":"x","max_retries":-1}"#, "max_retries"),
                (#"["nightly"]"#, "must be a JSON object"),
                (#"{"name":"a","#, "invalid JSON"),
            ]
            for (body, fragment) in badBodies {
                let response = try await client.send(.post, "/api/schedules", body: body)
                #expect(response.status == .badRequest, "\(body): \(response.text)")
                #expect(response.errorMessage?.contains(fragment) == true, "\(body): \(response.text)")
            }

            let taken = try await client.send(.post, "/api/schedules", body: #"{"name":"nightly","every":"1m","command":"other.sh"}"#)
            #expect(taken.status == .conflict, "\(taken.text)")
            #expect(taken.errorMessage == "a schedule named 'nightly' already exists; remove it first (queuectl schedule remove nightly)")
            let unknown = try await client.send(.delete, "/api/schedules/weekly")
            #expect(unknown.status == .notFound, "\(unknown.text)")
            #expect(unknown.errorMessage == "no schedule named 'weekly'; queuectl schedule list shows them")
            #expect(try await client.send(.delete, "/api/schedules/..").status == .badRequest)

            for token in [nil, "wrong"] {
                let add = try await client.send(
                    .post, "/api/schedules", body: #"{"name":"sneaky","every":"1m","command":"x"}"#, token: token)
                #expect(add.status == .unauthorized)
                #expect(try await client.send(.delete, "/api/schedules/nightly", token: token).status == .unauthorized)
            }
            #expect(try await client.send(.get, "/api/schedules").text == before)
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
