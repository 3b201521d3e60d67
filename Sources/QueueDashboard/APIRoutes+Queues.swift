import Foundation
import Hummingbird
import QueueCore
import QueueOperations

/// The routes of `queue list/pause/resume/limit`: the same operations as the commands, so the same rules (400
/// for a bad queue name or limit). Changes follow the token rules of every change (`AccessMiddleware`).
extension APIRoutes {
    /// `GET /api/queues`: what `queue list --json` prints.
    func queues() async throws -> Response {
        JSONBody.response(try await operations.queues())
    }

    /// `POST /api/queues/{name}/pause` and `/resume`: `queue pause|resume NAME`. Answers the queue's document
    /// after the change.
    func setPaused(_ paused: Bool, queueNamed name: String) async throws -> Response {
        let selection = try QueueSelection.parse(names: [name], all: false)
        _ = try await operations.setPaused(paused, queues: selection)
        return try await queue(named: name)
    }

    /// `POST /api/queues/{name}/limit` with the body `{"limit": N}`: `queue limit NAME N`. Answers the queue's
    /// document after the change.
    func limit(queueNamed name: String, body: ByteBuffer) async throws -> Response {
        try await operations.limitQueue(name, to: try QueueLimit.parse(body: Data(buffer: body)))
        return try await queue(named: name)
    }

    /// The document of the queue `name` (a queue without jobs or settings: all zero).
    private func queue(named name: String) async throws -> Response {
        let documents = try await operations.queues()
        return JSONBody.response(documents.first { $0.queue.name == name } ?? QueueDocument(queue: QueueRecord(name: name)))
    }

    /// The `{name}` path parameter, percent-decoded (the operations check it is a queue or schedule name).
    func nameParameter<Context: RequestContext>(_ context: Context) -> String {
        let raw = context.parameters.get("name") ?? ""
        return raw.removingPercentEncoding ?? raw
    }
}
