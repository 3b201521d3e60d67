import Foundation
import Hummingbird
import HummingbirdCore
import HTTPTypes
import QueueCore
import QueueOperations

/// The JSON API under `/api/`: the same documents as the CLI's `--json` output, errors as `{"error": "..."}`.
struct APIRoutes: Sendable {
    /// What each route does, once for the CLI and the API.
    let operations: Operations
    /// The data directory (for log paths).
    let home: QueueHome
    /// Shares one store query among requests that arrive while it runs.
    let snapshots: SnapshotCache

    /// The most jobs one `GET /api/jobs` returns.
    static let maximumLimit = 1000
    /// The jobs one `GET /api/jobs` returns when no `limit` is given.
    static let defaultLimit = 100

    /// Every route of the API.
    func endpoints<Context: RequestContext>() -> [Endpoint<Context>] {
        [
            Endpoint(.get, "/api/status") { _, _ in try await status() },
            Endpoint(.get, "/api/jobs") { request, _ in try await jobs(request.uri.queryParameters) },
            Endpoint(.get, "/api/jobs/{id}") { _, context in try await job(try await jobID(context)) },
            Endpoint(.get, "/api/jobs/{id}/log") { request, context in
                try await log(try await jobID(context), query: request.uri.queryParameters)
            },
            Endpoint(.get, "/api/jobs/{id}/dependencies") { _, context in try await dependencies(try await jobID(context)) },
            Endpoint(.get, "/api/workers") { _, _ in try await workers() },
            Endpoint(.get, "/api/schedules") { _, _ in try await schedules() },
            Endpoint(.post, "/api/schedules") { request, _ in try await addSchedule(request) },
            Endpoint(.delete, "/api/schedules/{name}") { _, context in try await removeSchedule(named: nameParameter(context)) },
            Endpoint(.get, "/api/queues") { _, _ in try await queues() },
            Endpoint(.post, "/api/queues/{name}/pause") { _, context in try await setPaused(true, queueNamed: nameParameter(context)) },
            Endpoint(.post, "/api/queues/{name}/resume") { _, context in try await setPaused(false, queueNamed: nameParameter(context)) },
            Endpoint(.post, "/api/queues/{name}/limit") { request, context in
                try await limit(queueNamed: nameParameter(context), body: try await Self.body(of: request))
            },
            Endpoint(.post, "/api/jobs") { request, _ in try await enqueue(request) },
            Endpoint(.post, "/api/jobs/{id}/retry") { _, context in try await retry(try await jobID(context)) },
            Endpoint(.post, "/api/jobs/{id}/cancel") { _, context in try await cancel(try await jobID(context)) },
            Endpoint(.post, "/api/jobs/{id}/restart") { _, context in try await apply(.restart, to: try await jobID(context)) },
            Endpoint(.post, "/api/jobs/{id}/promote") { _, context in try await apply(.promote, to: try await jobID(context)) },
            Endpoint(.delete, "/api/jobs/{id}") { _, context in try await remove(try await jobID(context)) },
            Endpoint(.post, "/api/purge") { request, _ in try await purge(request.uri.queryParameters) },
            Endpoint(.post, "/api/dlq/retry") { _, _ in try await retryAllDead() },
            Endpoint(.post, "/api/workers/stop") { _, _ in try await stopWorkers() },
        ]
    }

    /// `GET /api/status`: what `status --json` prints.
    func status() async throws -> Response {
        JSONBody.response(StatusDocument(counts: try await snapshots.counts()))
    }

    /// `GET /api/jobs?state=&queue=&limit=&offset=`: what `list --json` prints, one page of it. `state` and
    /// `queue` may be repeated (`?state=dead&state=failed`), as `list --state` and `--queue` may; an empty
    /// value restricts nothing.
    func jobs(_ query: FlatDictionary<Substring, Substring>) async throws -> Response {
        var filter = try JobFilter(
            parsingStates: query[values: "state"].filter { !$0.isEmpty }.map(String.init),
            queues: query[values: "queue"].filter { !$0.isEmpty }.map(String.init))
        filter.limit = try Self.integer(query["limit"], name: "limit", in: 1...Self.maximumLimit) ?? Self.defaultLimit
        filter.offset = try Self.integer(query["offset"], name: "offset", in: 0...Int(Int32.max)) ?? 0
        let found = try await operations.jobs(filter)
        return JSONBody.response(found.map { JobDocument(job: $0, home: home) })
    }

    /// `GET /api/jobs/{id}`: what `show --json` prints.
    func job(_ id: JobID) async throws -> Response {
        JSONBody.response(JobDocument(job: try await operations.job(id), home: home))
    }

    /// `GET /api/jobs/{id}/log?bytes=N`: the end of the job's captured output.
    func log(_ id: JobID, query: FlatDictionary<Substring, Substring>) async throws -> Response {
        let limit = try Self.integer(query["bytes"], name: "bytes", in: 1...LogTail.maximumLimit) ?? LogTail.defaultLimit
        let job = try await operations.job(id)
        return JSONBody.response(try await LogTail.read(job.id, from: JobLog(store: operations.store, home: home), limit: limit))
    }

    /// `GET /api/workers`: what `worker list --json` prints.
    func workers() async throws -> Response {
        JSONBody.response(try await operations.workers())
    }

    /// `POST /api/jobs`: the body `enqueue` takes (an object, an array, or JSON lines), all-or-nothing.
    /// Answers 201 with the job (an array of them for an array or several lines), the same document
    /// `enqueue --json` prints. What `enqueue` warns about on stderr (a managed field such as `state`, ignored)
    /// comes as one `Warning: 299 - "<text>"` header per warning, so the body stays that document.
    func enqueue(_ request: Request) async throws -> Response {
        let body = try await Self.body(of: request)
        let result = try await operations.enqueue(try JobSpec.parseBatch(Data(buffer: body)))
        let documents = result.jobs.map { JobDocument(job: $0, home: home) }
        let startsWithBracket = body.readableBytesView.first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) } == UInt8(ascii: "[")
        var response =
            if documents.count == 1, !startsWithBracket, let only = documents.first {
                JSONBody.response(only, status: .created)
            } else {
                JSONBody.response(documents, status: .created)
            }
        for warning in result.warnings + result.alreadyQueued {
            response.headers.append(HTTPField(name: Self.warningHeader, value: Self.warningValue(warning)))
        }
        return response
    }

    /// `Warning` (RFC 7234 §5.5): code 299 is a persistent warning; `-` stands for this server.
    static let warningHeader = HTTPField.Name("Warning")!

    /// `text` as a `Warning` field value: `299 - "<text>"`, with quotes and backslashes escaped and anything
    /// that is not printable ASCII replaced, so it is always a valid header.
    static func warningValue(_ text: String) -> String {
        var quoted = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\": quoted += "\\\(scalar)"
            case " "..."~": quoted.unicodeScalars.append(scalar)
            default: quoted += "?"
            }
        }
        return "299 - \"\(quoted)\""
    }

    /// `POST /api/jobs/{id}/retry`: `dlq retry ID`. 404 for an unknown job, 409 when it is not dead.
    func retry(_ id: JobID) async throws -> Response {
        _ = try await operations.retryDeadJobs(.jobs([id]))
        return try await job(id)
    }

    /// `POST /api/dlq/retry`: `dlq retry --all`. Answers the ids moved back to pending.
    func retryAllDead() async throws -> Response {
        let moved = try await operations.retryDeadJobs(.all)
        return JSONBody.response(["retried": moved.map(\.rawValue)])
    }

    /// `POST /api/workers/stop`: asks every worker to finish its running jobs and exit (`worker stop`,
    /// without waiting). Answers 202 with the number of workers asked.
    func stopWorkers() async throws -> Response {
        let request = try await operations.requestStopOfAllWorkers()
        return JSONBody.response(
            StopAnswer(requested: request.command.rawValue, workers: request.workers.count), status: .accepted)
    }

    /// The `{id}` path parameter as a validated job id: anything that is not an id (`..`, `/`, `%2F`) is a 400
    /// before it comes near a file name. A unique prefix stands for its job, as on the command line (an
    /// ambiguous one is a 409 naming candidates, no match a 404).
    private func jobID<Context: RequestContext>(_ context: Context) async throws -> JobID {
        let raw = context.parameters.get("id") ?? ""
        let decoded = raw.removingPercentEncoding ?? raw
        return try await operations.resolve(try JobID(decoded))
    }

    /// Reads the request body, refusing more than `DashboardConfiguration.bodyLimit` bytes with 413
    /// (at once when the declared length says so).
    static func body(of request: Request) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > DashboardConfiguration.bodyLimit {
            throw APIError(.contentTooLarge, "the request body is larger than \(DashboardConfiguration.bodyLimit) bytes")
        }
        return try await request.body.collect(upTo: DashboardConfiguration.bodyLimit)
    }

    private static func integer(_ text: Substring?, name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError(
                .badRequest, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text.prefix(40))'")
        }
        return value
    }
}
