import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import QueueCore
import QueueDashboard
import QueueTestSupport
import Testing

@Suite("JSON API routes")
struct APIRouteTests {
    @Test("status answers the counts per state and the live workers", arguments: TestBackend.all)
    func status(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.enqueue(makeJobs(3, createdAt: fixture.clock.now()))
        try await fixture.makeDeadJob("doomed")
        try await fixture.store.registerWorkers(
            [WorkerRegistration(id: "h:1:0", pid: 1, host: "h", processStart: 1, queues: [])], now: fixture.clock.now())
        try await fixture.test { client in
            let response = try await client.send(.get, "/api/status")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            #expect(response.text == #"{"pending":3,"processing":0,"completed":0,"failed":0,"dead":1,"cancelled":0,"workers":1}"#)
        }
    }

    @Test("jobs lists in enqueue order and filters by state and queue", arguments: TestBackend.all)
    func jobsFiltered(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.enqueue(makeJobs(3, createdAt: fixture.clock.now()))
        try await fixture.enqueue([makeJob("mail-1", queue: "mail", createdAt: fixture.clock.now())])
        try await fixture.makeDeadJob("doomed")
        try await fixture.test { client in
            let all = try await client.send(.get, "/api/jobs")
            #expect(all.status == .ok)
            #expect(all.objects.map { $0["id"] as? String } == ["job-1", "job-2", "job-3", "mail-1", "doomed"])
            let dead = try await client.send(.get, "/api/jobs?state=dead")
            #expect(dead.objects.map { $0["id"] as? String } == ["doomed"])
            #expect(dead.objects.first?["state"] as? String == "dead")
            let mail = try await client.send(.get, "/api/jobs?queue=mail&state=pending")
            #expect(mail.objects.map { $0["id"] as? String } == ["mail-1"])
            // Repeated parameters, as `list --state … --state …`: any of the states AND any of the queues.
            let several = try await client.send(.get, "/api/jobs?state=dead&state=pending&queue=mail&queue=graveyard")
            #expect(several.status == .ok)
            #expect(several.objects.map { $0["id"] as? String } == ["mail-1", "doomed"], "\(several.objects)")
            let bad = try await client.send(.get, "/api/jobs?state=dead&state=sleeping")
            #expect(bad.status == .badRequest)
            #expect(bad.errorMessage?.contains("sleeping") == true)
        }
    }

    @Test("jobs pages with limit and offset", arguments: TestBackend.all)
    func jobsPaged(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.enqueue(makeJobs(7, createdAt: fixture.clock.now()))
        try await fixture.test { client in
            let page = try await client.send(.get, "/api/jobs?limit=3&offset=3")
            #expect(page.objects.map { $0["id"] as? String } == ["job-4", "job-5", "job-6"])
            let last = try await client.send(.get, "/api/jobs?limit=3&offset=6")
            #expect(last.objects.map { $0["id"] as? String } == ["job-7"])
        }
    }

    @Test(
        "jobs refuses a bad state, limit or offset with 400",
        arguments: ["/api/jobs?state=sleeping", "/api/jobs?limit=0", "/api/jobs?limit=x", "/api/jobs?offset=-1",
                    "/api/jobs?limit=1001", "/api/jobs?queue=a%2Fb"])
    func jobsBadQuery(uri: String) async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.test { client in
            let response = try await client.send(.get, uri)
            #expect(response.status == .badRequest)
            #expect(response.errorMessage?.isEmpty == false)
        }
    }

    @Test("a job answers every field of the contract's job document", arguments: TestBackend.all)
    func showJob(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        let dead = try await fixture.makeDeadJob("doomed")
        try await fixture.test { client in
            let response = try await client.send(.get, "/api/jobs/doomed")
            #expect(response.status == .ok)
            let expected = try OrderedJSONEncoder().encodeToString(JobDocument(job: dead, home: fixture.home))
            #expect(response.text == expected)
            #expect(response.object["exit_code"] as? Int == 3)
            #expect(response.object["log"] as? String == fixture.home.logFile(for: dead.id))
        }
    }

    @Test("an unknown job is 404 and a malformed id is 400")
    func unknownJob() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.test { client in
            let missing = try await client.send(.get, "/api/jobs/nope")
            #expect(missing.status == .notFound)
            #expect(missing.errorMessage == "no job with id 'nope'")
            let malformed = try await client.send(.get, "/api/jobs/.hidden")
            #expect(malformed.status == .badRequest)
        }
    }

    @Test("a job's log answers the end of its output", arguments: TestBackend.all)
    func logTail(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.enqueue([makeJob("talker", createdAt: fixture.clock.now())])
        try await fixture.enqueue([makeJob("silent", createdAt: fixture.clock.now())])
        let lines = (1...5000).map { "line \($0)" }.joined(separator: "\n") + "\n"
        try await writeJobLog(lines, of: JobID(trusted: "talker"), store: fixture.store, home: fixture.home)
        try await fixture.test { client in
            let whole = try await client.send(.get, "/api/jobs/talker/log")
            #expect(whole.status == .ok)
            #expect(whole.object["text"] as? String == lines)
            #expect(whole.object["truncated"] as? Bool == false)
            let tail = try await client.send(.get, "/api/jobs/talker/log?bytes=100")
            let text = try #require(tail.object["text"] as? String)
            #expect(text.hasSuffix("line 5000\n"))
            #expect(text.hasPrefix("line "))
            #expect(text.utf8.count <= 100)
            #expect(tail.object["truncated"] as? Bool == true)
            #expect(tail.object["size"] as? Int == lines.utf8.count)
            let silent = try await client.send(.get, "/api/jobs/silent/log")
            #expect(silent.status == .ok)
            #expect(silent.object["text"] as? String == "")
            let missing = try await client.send(.get, "/api/jobs/nope/log")
            #expect(missing.status == .notFound)
        }
    }

    @Test(
        "a job id with path tricks cannot read a file outside the logs directory",
        arguments: ["/api/jobs/..%2F..%2Fetc%2Fpasswd/log", "/api/jobs/../../etc/passwd/log", "/api/jobs/%2Fetc%2Fpasswd/log",
                    "/api/jobs/..%2Fqueue.db/log", "/api/jobs/.%2E/log", "/api/jobs/a%00b/log"])
    func pathTraversal(uri: String) async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try "secret".write(toFile: fixture.directory.file("secret.log"), atomically: true, encoding: .utf8)
        try await fixture.test { client in
            let response = try await client.send(.get, uri)
            #expect(response.status == .badRequest || response.status == .notFound)
            #expect(!response.text.contains("root:"))
            #expect(!response.text.contains("secret"))
            #expect(!response.text.contains("SQLite"))
        }
    }

    @Test("a symbolic link in place of a log is not followed")
    func symlinkedLog() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.enqueue([makeJob("linked", createdAt: fixture.clock.now())])
        try "secret".write(toFile: fixture.directory.file("secret.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: fixture.home.logFile(for: JobID(trusted: "linked")), withDestinationPath: fixture.directory.file("secret.txt"))
        try await fixture.test { client in
            let response = try await client.send(.get, "/api/jobs/linked/log")
            #expect(response.status == .internalServerError)
            #expect(!response.text.contains("secret\""))
        }
    }

    @Test("workers answers what worker list --json prints", arguments: TestBackend.all)
    func workers(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.store.registerWorkers(
            [WorkerRegistration(id: "box:42:0", pid: 42, host: "box", processStart: 7, queues: ["mail"])],
            now: fixture.clock.now())
        try await fixture.test { client in
            let response = try await client.send(.get, "/api/workers")
            #expect(response.status == .ok)
            let worker = try #require(response.objects.first)
            #expect(worker["id"] as? String == "box:42:0")
            #expect(worker["pid"] as? Int == 42)
            #expect(worker["state"] as? String == "idle")
            #expect(worker["queues"] as? [String] == ["mail"])
            #expect(worker["heartbeat_at"] as? String == Timestamp.format(testEpoch))
        }
    }

    @Test("enqueue takes the contract's job JSON and answers 201 with the job", arguments: TestBackend.all)
    func enqueue(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.test { client in
            let response = try await client.send(
                .post, "/api/jobs", body: #"{"id":"hello","command":"echo hi","priority":5,"queue":"mail","delay":30}"#)
            #expect(response.status == .created)
            #expect(response.object["id"] as? String == "hello")
            #expect(response.object["state"] as? String == "pending")
            #expect(response.object["max_retries"] as? Int == 3)
            #expect(response.object["run_at"] as? String == Timestamp.format(testEpoch.addingTimeInterval(30)))
            let stored = try #require(try await fixture.store.job(JobID(trusted: "hello")))
            #expect(stored.priority == 5)
            #expect(stored.queue == "mail")

            let batch = try await client.send(.post, "/api/jobs", body: #"[{"command":"a"},{"command":"b"}]"#)
            #expect(batch.status == .created)
            #expect(batch.objects.map { $0["command"] as? String } == ["a", "b"])
            let single = try await client.send(.post, "/api/jobs", body: #"[{"id":"one","command":"a"}]"#)
            #expect(single.objects.map { $0["id"] as? String } == ["one"])
        }
    }

    @Test("enqueue answers the warnings the CLI prints as Warning headers, the body staying the job")
    func enqueueWarnings() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.test { client in
            let response = try await client.send(
                .post, "/api/jobs", body: #"{"id":"w","command":"true","state":"completed","attempts":9}"#)
            #expect(response.status == .created)
            #expect(response.headers[values: HTTPField.Name("Warning")!] == [
                #"299 - "ignoring 'attempts': it is managed by the queue""#,
                #"299 - "ignoring 'state': it is managed by the queue""#,
            ])
            #expect(response.object["state"] as? String == "pending")
            #expect(response.object["attempts"] as? Int == 0)
            let batch = try await client.send(
                .post, "/api/jobs", body: "{\"command\":\"a\"}\n{\"command\":\"b\",\"created_at\":\"x\"}\n")
            #expect(batch.status == .created)
            #expect(batch.headers[values: HTTPField.Name("Warning")!] == [
                #"299 - "line 2: ignoring 'created_at': it is managed by the queue""#,
            ])
            let clean = try await client.send(.post, "/api/jobs", body: #"{"command":"true"}"#)
            #expect(clean.headers[values: HTTPField.Name("Warning")!].isEmpty)
        }
        #expect(try await fixture.store.job(JobID(trusted: "w"))?.state == .pending)
    }

    @Test(
        "enqueue refuses bad input with 400 and enqueues nothing",
        arguments: [#"{"command":"x","colour":"red"}"#, "{not json", #"{"id":"../x","command":"x"}"#, #"{"priority":1}"#,
                    #"[{"command":"ok"},{"command":"x","max_retries":-1}]"#, ""])
    func enqueueBadInput(body: String) async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.test { client in
            let response = try await client.send(.post, "/api/jobs", body: body)
            #expect(response.status == .badRequest)
            #expect(response.errorMessage?.isEmpty == false)
        }
        #expect(try await fixture.store.jobs(JobFilter()).isEmpty)
    }

    @Test("enqueue of an existing id is 409", arguments: TestBackend.all)
    func enqueueDuplicate(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.enqueue([makeJob("taken", createdAt: fixture.clock.now())])
        try await fixture.test { client in
            let response = try await client.send(.post, "/api/jobs", body: #"{"id":"taken","command":"x"}"#)
            #expect(response.status == .conflict)
            #expect(response.errorMessage == "a job with id 'taken' already exists; nothing was enqueued")
            let repeated = try await client.send(
                .post, "/api/jobs", body: #"[{"id":"twice","command":"x"},{"id":"twice","command":"y"}]"#)
            #expect(repeated.status == .badRequest)
            #expect(repeated.errorMessage == "job 2: id 'twice' repeats the id of job 1 of this batch; give each job its own id")
        }
        #expect(try await fixture.store.job(JobID(trusted: "twice")) == nil)
    }

    @Test("retry moves a dead job back to pending with attempts 0", arguments: TestBackend.all)
    func retryDead(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.makeDeadJob("doomed")
        try await fixture.test { client in
            let response = try await client.send(.post, "/api/jobs/doomed/retry")
            #expect(response.status == .ok)
            #expect(response.object["state"] as? String == "pending")
            #expect(response.object["attempts"] as? Int == 0)
        }
        #expect(try await fixture.store.job(JobID(trusted: "doomed"))?.state == .pending)
    }

    @Test("retry of a job that is not dead is 409, of an unknown job 404", arguments: TestBackend.all)
    func retryNotDead(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.enqueue([makeJob("alive", createdAt: fixture.clock.now())])
        try await fixture.test { client in
            let alive = try await client.send(.post, "/api/jobs/alive/retry")
            #expect(alive.status == .conflict)
            #expect(alive.errorMessage == "job 'alive' is pending, not dead; only dead jobs can be retried")
            let unknown = try await client.send(.post, "/api/jobs/ghost/retry")
            #expect(unknown.status == .notFound)
        }
    }

    @Test("retrying all dead jobs answers the ids moved", arguments: TestBackend.all)
    func retryAllDead(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.makeDeadJob("dead-1")
        try await fixture.makeDeadJob("dead-2")
        try await fixture.test { client in
            let response = try await client.send(.post, "/api/dlq/retry")
            #expect(response.status == .ok)
            #expect(Set(response.object["retried"] as? [String] ?? []) == ["dead-1", "dead-2"])
        }
        #expect(try await fixture.store.counts(now: fixture.clock.now()).dead == 0)
    }

    @Test("stopping workers asks every worker to drain", arguments: TestBackend.all)
    func stopWorkers(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        let worker = "box:42:0"
        try await fixture.store.registerWorkers(
            [WorkerRegistration(id: worker, pid: 42, host: "box", processStart: 7, queues: [])], now: fixture.clock.now())
        try await fixture.test { client in
            let response = try await client.send(.post, "/api/workers/stop")
            #expect(response.status == .accepted)
            #expect(response.object["workers"] as? Int == 1)
            #expect(response.object["requested"] as? String == "drain")
        }
        #expect(try await fixture.store.heartbeat([worker], now: fixture.clock.now()) == .drain)
    }

    @Test("an unknown path is a JSON 404")
    func unknownRoute() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.test { client in
            for uri in ["/api/nothing-here", "/api/jobs/x/y/z", "/index.html"] {
                let missing = try await client.send(.get, uri)
                #expect(missing.status == .notFound, "\(uri)")
                #expect(missing.errorMessage?.contains("no such route") == true)
                #expect(missing.headers[.allow] == nil)
            }
        }
    }

    @Test(
        "a known path asked with a method it does not take is a JSON 405 with Allow",
        arguments: [
            (HTTPRequest.Method.put, "/api/jobs/x", "GET, HEAD, DELETE"), (.put, "/api/jobs", "GET, HEAD, POST"),
            (.post, "/api/status", "GET, HEAD"), (.get, "/api/dlq/retry", "POST"), (.get, "/api/jobs/x/retry", "POST"),
            (.head, "/api/workers/stop", "POST"), (.post, "/metrics", "GET, HEAD"), (.patch, "/", "GET, HEAD"),
            (.post, "/api/jobs/x/log", "GET, HEAD"), (.get, "/api/purge", "POST"), (.delete, "/api/jobs/x/restart", "POST"),
        ])
    func wrongMethod(method: HTTPRequest.Method, uri: String, allow: String) async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.makeDeadJob("x")
        try await fixture.test { client in
            let response = try await client.send(method, uri)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == allow)
            if method != .head {
                #expect(response.errorMessage?.contains("does not take \(method.rawValue)") == true, "\(response.text)")
            }
        }
        // Nothing changed: the dead job is still dead.
        #expect(try await fixture.store.job(JobID(trusted: "x"))?.state == .dead)
    }

    @Test("HEAD answers like GET, headers only", arguments: ["/", "/api/status", "/api/jobs", "/api/jobs/doomed",
                                                             "/api/jobs/doomed/log", "/api/workers", "/metrics"])
    func head(uri: String) async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.makeDeadJob("doomed")
        try await fixture.test { client in
            let get = try await client.send(.get, uri)
            let head = try await client.send(.head, uri)
            #expect(get.status == .ok)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentType] == get.headers[.contentType])
            #expect(head.headers[.contentLength] == String(get.body.readableBytes))
            let missing = try await client.send(.head, "/api/jobs/nope")
            #expect(missing.status == .notFound)
            #expect(missing.body.readableBytes == 0)
        }
    }

    @Test(
        "a job's log refuses a bad bytes value with 400",
        arguments: ["0", "-1", "x", "1.5", "1048577", "99999999999999999999", "%20", "1e3"])
    func logBadBytes(bytes: String) async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.enqueue([makeJob("talker", createdAt: fixture.clock.now())])
        try await fixture.test { client in
            let response = try await client.send(.get, "/api/jobs/talker/log?bytes=\(bytes)")
            #expect(response.status == .badRequest)
            #expect(response.errorMessage?.hasPrefix("bytes must be a whole number from 1 to 1048576") == true, "\(response.text)")
        }
    }

    @Test("a job's log takes the smallest and largest bytes values")
    func logBytesBounds() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.enqueue([makeJob("talker", createdAt: fixture.clock.now())])
        try await writeJobLog("abc\n", of: JobID(trusted: "talker"), store: fixture.store, home: fixture.home)
        try await fixture.test { client in
            let one = try await client.send(.get, "/api/jobs/talker/log?bytes=1")
            #expect(one.status == .ok)
            #expect(one.object["text"] as? String == "\n")
            #expect(one.object["truncated"] as? Bool == true)
            let two = try await client.send(.get, "/api/jobs/talker/log?bytes=2")
            #expect(two.object["text"] as? String == "c\n", "a tail whose only newline ends it is not cut to nothing")
            let most = try await client.send(.get, "/api/jobs/talker/log?bytes=1048576")
            #expect(most.object["text"] as? String == "abc\n")
        }
    }
}
