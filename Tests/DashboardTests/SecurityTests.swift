import Foundation
import Hummingbird
import HummingbirdTesting
import QueueCore
@testable import QueueDashboard
import QueueTestSupport
import Testing

@Suite("Dashboard security: token, content types, body limit")
struct SecurityTests {
    static let mutations: [(HTTPRequest.Method, String, String?)] = [
        (.post, "/api/jobs", #"{"id":"sneaky","command":"echo hi"}"#),
        (.post, "/api/jobs/doomed/retry", nil),
        (.post, "/api/dlq/retry", nil),
        (.post, "/api/workers/stop", nil),
    ]

    @Test("every request that changes the queue is refused with 401 without the right token")
    func mutationsNeedToken() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.makeDeadJob("doomed")
        try await fixture.test { client in
            for (method, uri, body) in Self.mutations {
                for token in [nil, "wrong", String(DashboardFixture.token.dropLast()), DashboardFixture.token + "0", ""] {
                    let response = try await client.send(method, uri, body: body, token: token)
                    #expect(response.status == .unauthorized, "\(method) \(uri) with token \(token ?? "none")")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                    #expect(response.errorMessage?.contains("token") == true)
                }
            }
            var headers: HTTPFields = [:]
            headers[.authorization] = "Basic \(DashboardFixture.token)"
            let basic = try await client.execute(uri: "/api/dlq/retry", method: .post, headers: headers)
            #expect(basic.status == .unauthorized)
        }
        #expect(try await fixture.store.job(JobID(trusted: "sneaky")) == nil)
        #expect(try await fixture.store.job(JobID(trusted: "doomed"))?.state == .dead)
    }

    static let reads = ["/api/status", "/api/jobs", "/api/jobs/doomed", "/api/jobs/doomed/log", "/api/workers"]

    @Test("on loopback, every API read needs the token too; the page and /metrics do not")
    func loopbackReadsNeedToken() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.makeDeadJob("doomed")
        try await fixture.test { client in
            for uri in Self.reads + ["/api/nothing-here"] {
                for method in [HTTPRequest.Method.get, .head] {
                    for token in [nil, "wrong", ""] {
                        let response = try await client.send(method, uri, token: token)
                        #expect(response.status == .unauthorized, "\(method) \(uri) with token \(token ?? "none")")
                        #expect(response.headers[.wwwAuthenticate] == "Bearer")
                    }
                }
                #expect(try await client.send(.get, uri).status != .unauthorized, "\(uri)")
            }
            for uri in ["/", "/metrics"] {
                #expect(try await client.send(.get, uri, token: nil).status == .ok, "\(uri)")
            }
            let created = try await client.send(.post, "/api/jobs", body: #"{"command":"true"}"#)
            #expect(created.status == .created)
        }
    }

    @Test("the 401 answer names the one way to pass the token: the header, and #token= for the page")
    func unauthorizedAdvice() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.test { client in
            let message = try #require(try await client.send(.get, "/api/status", token: nil).errorMessage)
            #expect(message.contains("'Authorization: Bearer <token>'"), "\(message)")
            #expect(message.contains("/#token=<token>"), "\(message)")
            #expect(!message.contains("?token="), "\(message)")
        }
    }

    @Test("with protectMetrics, /metrics needs the token on loopback too")
    func protectedMetrics() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        let dashboard = DashboardApp(
            store: fixture.store,
            configuration: DashboardConfiguration(port: 0, token: DashboardFixture.token, home: fixture.home, protectMetrics: true),
            clock: fixture.clock)
        try await Application(router: dashboard.router()).test(.router) { client in
            let anonymous = try await client.send(.get, "/metrics", token: nil)
            #expect(anonymous.status == .unauthorized)
            let withToken = try await client.send(.get, "/metrics")
            #expect(withToken.status == .ok)
        }
    }

    @Test("off loopback, every request but the page needs the token, /metrics too")
    func publicBindNeedsTokenEverywhere() async throws {
        let fixture = try await DashboardFixture(.sqlite, host: "0.0.0.0")
        try await fixture.makeDeadJob("doomed")
        try await fixture.test { client in
            for uri in Self.reads + ["/metrics"] {
                let anonymous = try await client.send(.get, uri, token: nil).status
                #expect(anonymous == .unauthorized, "\(uri)")
                let wrong = try await client.send(.get, uri, token: "nope").status
                #expect(wrong == .unauthorized, "\(uri)")
                let status = try await client.send(.get, uri).status
                #expect(status == .ok, "\(uri)")
            }
            // The page holds no data: it takes the token from its #fragment, which never reaches the server.
            #expect(try await client.send(.get, "/", token: nil).status == .ok)
        }
    }

    @Test("a token in a cookie or in the query grants nothing, and no answer sets a cookie", arguments: ["127.0.0.1", "0.0.0.0"])
    func noTokenInCookieOrQuery(host: String) async throws {
        let fixture = try await DashboardFixture(.sqlite, host: host)
        try await fixture.makeDeadJob("doomed")
        let token = DashboardFixture.token
        try await fixture.test { client in
            for uri in Self.reads {
                for cookie in ["queuectl_token=\(token)", "queuectl_token_8080=\(token)", "token=\(token)"] {
                    let response = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
                    #expect(response.status == .unauthorized, "\(uri) with cookie \(cookie)")
                }
                let query = try await client.send(.get, uri + "?token=\(token)", token: nil)
                #expect(query.status == .unauthorized, "\(uri)?token=")
            }
            for (method, uri, body) in Self.mutations {
                let response = try await client.execute(
                    uri: uri + "?token=\(token)", method: method, headers: [.cookie: "queuectl_token=\(token)"],
                    body: body.map { ByteBuffer(string: $0) })
                #expect(response.status == .unauthorized, "\(method) \(uri)")
            }
            for uri in ["/", "/?token=\(token)", "/metrics"] + Self.reads {
                let answer = try await client.send(.get, uri)
                #expect(answer.headers[.setCookie] == nil, "\(uri)")
            }
        }
        #expect(try await fixture.store.job(JobID(trusted: "doomed"))?.state == .dead)
    }

    @Test("on loopback, a request addressed to another host is refused with 403 by the whole router")
    func foreignHostThroughRouter() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.makeDeadJob("doomed")
        let responder = AuthorityRewritingResponder(authority: "evil.example:8080", inner: fixture.dashboard.router().buildResponder())
        try await Application(responder: responder).test(.router) { client in
            let requests: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/", nil), (.get, "/api/status", nil), (.get, "/api/jobs/doomed", nil), (.get, "/metrics", nil),
                (.head, "/api/status", nil), (.post, "/api/jobs/doomed/retry", DashboardFixture.token),
                (.get, "/api/nothing-here", nil),
            ]
            for (method, uri, token) in requests {
                let response = try await client.send(method, uri, token: token)
                #expect(response.status == .forbidden, "\(method) \(uri)")
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                if method != .head {
                    #expect(response.errorMessage == "this dashboard only answers requests addressed to 127.0.0.1 or localhost")
                }
            }
        }
        let local = AuthorityRewritingResponder(authority: "127.0.0.1:8080", inner: fixture.dashboard.router().buildResponder())
        try await Application(responder: local).test(.router) { client in
            let status = try await client.send(.get, "/api/status").status
            #expect(status == .ok)
        }
        #expect(try await fixture.store.job(JobID(trusted: "doomed"))?.state == .dead)
    }

    @Test("loopback detection", arguments: [
        ("127.0.0.1", true), ("127.1.2.3", true), ("localhost", true), ("::1", true), ("[::1]", true),
        ("0.0.0.0", false), ("::", false), ("192.168.1.5", false), ("example.com", false), ("127.0.0.1.evil.com", false),
    ])
    func loopbackDetection(host: String, loopback: Bool) {
        #expect(DashboardConfiguration.isLoopback(host) == loopback)
    }

    @Test("on loopback, a request addressed to another host name is refused (DNS rebinding)", arguments: [
        ("127.0.0.1:8080", true), ("localhost:8080", true), ("[::1]:8080", true), ("localhost", true),
        ("evil.example:8080", false), ("10.0.0.1", false),
    ])
    func hostCheck(authority: String, allowed: Bool) {
        #expect(AccessMiddleware<BasicRequestContext>.isLoopbackAuthority(authority) == allowed)
    }

    @Test("tokens are 32 hex digits, fresh each time, and compared exactly")
    func tokens() {
        let first = DashboardToken.generate()
        let second = DashboardToken.generate()
        #expect(first.count == 32)
        #expect(first.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(first != second)
        #expect(DashboardToken.matches(Substring(first), expected: first))
        #expect(!DashboardToken.matches(Substring(second), expected: first))
        #expect(!DashboardToken.matches("", expected: first))
        #expect(!DashboardToken.matches("", expected: ""))
    }

    @Test(
        "a job whose command is a script tag comes back verbatim, as JSON no browser renders as HTML",
        arguments: TestBackend.all)
    func scriptTagVerbatim(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        let script = "<script>alert(1)</script> && echo '<b>'"
        let logText = "<img src=x onerror=alert(2)> & more\n"
        try await fixture.test { client in
            let created = try await client.send(.post, "/api/jobs", body: #"{"id":"xss","command":"<script>alert(1)</script> && echo '<b>'"}"#)
            #expect(created.status == .created)
            try await writeJobLog(logText, of: JobID(trusted: "xss"), store: fixture.store, home: fixture.home)
            for uri in ["/api/jobs", "/api/jobs/xss", "/api/jobs/xss/log"] {
                let response = try await client.send(.get, uri)
                #expect(response.status == .ok)
                // The same bytes the CLI's --json prints: no \u003c rewriting.
                #expect(!response.text.contains(#"\u003c"#) && !response.text.contains(#"\u0026"#), "\(uri): \(response.text)")
                #expect(response.text.contains("<script>alert(1)</script> && echo '<b>'") || response.text.contains("<img src=x"))
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                #expect(response.headers[SecurityHeaders.contentTypeOptions] == "nosniff")
            }
            let job = try await client.send(.get, "/api/jobs/xss")
            #expect(job.object["command"] as? String == script)
            #expect(job.text == (try OrderedJSONEncoder().encodeToString(JobDocument(
                job: try #require(try await fixture.store.job(JobID(trusted: "xss"))), home: fixture.home))))
            let log = try await client.send(.get, "/api/jobs/xss/log")
            #expect(log.object["text"] as? String == logText)
            let badID = try await client.send(.get, "/api/jobs/%3Cscript%3E")
            #expect(badID.status == .badRequest)
            #expect(badID.headers[.contentType] == "application/json; charset=utf-8")
            #expect(badID.headers[SecurityHeaders.contentTypeOptions] == "nosniff")
        }
    }

    @Test("the page builds the DOM from text only and forbids other scripts")
    func pageIsSafe() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.test { client in
            let page = try await client.send(.get, "/", token: nil)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'"))
            #expect(policy.contains("connect-src 'self'"))
            #expect(!page.text.contains("innerHTML"))
            #expect(!page.text.contains("insertAdjacentHTML"))
            #expect(!page.text.contains("document.write"))
            #expect(!page.text.contains("eval("))
            // Self-contained: nothing loaded from anywhere else.
            #expect(!page.text.contains("http://"))
            #expect(!page.text.contains("https://"))
            #expect(!page.text.contains(" src="))
        }
    }

    @Test("a request body over 1 MiB is refused with 413 and enqueues nothing")
    func bodyLimit() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        let padding = String(repeating: "x", count: DashboardConfiguration.bodyLimit)
        let body = #"{"command":"echo \#(padding)"}"#
        try await fixture.test { client in
            let response = try await client.send(.post, "/api/jobs", body: body)
            #expect(response.status == .contentTooLarge)
            #expect(response.errorMessage?.contains("larger than") == true)
            var headers: HTTPFields = [:]
            headers[.authorization] = "Bearer \(DashboardFixture.token)"
            headers[.contentLength] = String(body.utf8.count)
            let declared = try await client.execute(
                uri: "/api/jobs", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(declared.status == .contentTooLarge)
            let justUnder = String(repeating: "x", count: DashboardConfiguration.bodyLimit - 100)
            let accepted = try await client.send(.post, "/api/jobs", body: #"{"command":"echo \#(justUnder)"}"#)
            #expect(accepted.status == .created)
        }
        #expect(try await fixture.store.jobs(JobFilter()).count == 1)
    }
}
