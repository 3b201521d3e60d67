import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import QueueCore
import QueueDashboard
import QueueTestSupport
import Testing

@Suite("Queues API")
struct QueueRouteTests {
    @Test("GET /api/queues answers what queue list --json prints; pause, resume and limit change it, only with the token", arguments: TestBackend.all)
    func queuesPauseResumeLimit(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.enqueue([makeJob("m1", queue: "mail"), makeJob("m2", queue: "mail")])
        try await fixture.test { client in
            for token in [nil, "wrong"] {
                #expect(try await client.send(.get, "/api/queues", token: token).status == .unauthorized)
                #expect(try await client.send(.post, "/api/queues/mail/pause", token: token).status == .unauthorized)
                #expect(try await client.send(.post, "/api/queues/mail/limit", body: #"{"limit":2}"#, token: token).status
                    == .unauthorized)
            }
            #expect(try await client.send(.get, "/api/queues").text
                == #"[{"queue":"mail","pending":2,"processing":0,"completed":0,"failed":0,"dead":0,"cancelled":0,"paused":false,"limit":0}]"#)

            let paused = try await client.send(.post, "/api/queues/mail/pause")
            #expect(paused.status == .ok)
            #expect(paused.text.contains(#""queue":"mail""#) && paused.text.contains(#""paused":true"#), "\(paused.text)")
            let limited = try await client.send(.post, "/api/queues/mail/limit", body: #"{"limit":3}"#)
            #expect(limited.status == .ok)
            #expect(limited.text.hasSuffix(#""paused":true,"limit":3}"#), "\(limited.text)")
            let empty = try await client.send(.post, "/api/queues/later/pause")
            #expect(empty.text
                == #"{"queue":"later","pending":0,"processing":0,"completed":0,"failed":0,"dead":0,"cancelled":0,"paused":true,"limit":0}"#)
            #expect(try await client.send(.post, "/api/queues/mail/resume").text.contains(#""paused":false,"limit":3"#))

            let metrics = try await client.send(.get, "/metrics").text
            #expect(metrics.contains(#"queuectl_queue_jobs{queue="mail",state="pending"} 2"#), "\(metrics)")
            #expect(metrics.contains(#"queuectl_queue_paused{queue="later"} 1"#))
            #expect(metrics.contains(#"queuectl_queue_paused{queue="mail"} 0"#))
            #expect(metrics.contains(#"queuectl_queue_limit{queue="mail"} 3"#))
        }
    }

    @Test("a bad queue name or limit is a 400 naming it, and changes nothing", arguments: TestBackend.all)
    func badInput(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.enqueue([makeJob("m1", queue: "mail")])
        try await fixture.test { client in
            let cases: [(String, String?, String)] = [
                ("/api/queues/.hidden/pause", nil, "invalid queue name '.hidden'"),
                ("/api/queues/mail/limit", #"{"limit":-1}"#, "invalid queue limit '-1'"),
                ("/api/queues/mail/limit", #"{"limit":1.5}"#, "invalid queue limit '1.5'"),
                ("/api/queues/mail/limit", #"{"limit":"2"}"#, "invalid queue limit 'a string'"),
                ("/api/queues/mail/limit", #"{}"#, "the body needs"),
                ("/api/queues/mail/limit", #"{"limit":2,"paused":true}"#, "unknown field 'paused'"),
                ("/api/queues/mail/limit", #"[2]"#, "must be a JSON object"),
                ("/api/queues/mail/limit", nil, "invalid JSON"),
            ]
            for (path, body, fragment) in cases {
                let response = try await client.send(.post, path, body: body)
                #expect(response.status == .badRequest, "\(path) \(body ?? "-"): \(response.text)")
                #expect(response.text.contains(fragment), "\(response.text)")
            }
            #expect(try await client.send(.get, "/api/queues").text.hasSuffix(#""paused":false,"limit":0}]"#))
        }
    }
}
