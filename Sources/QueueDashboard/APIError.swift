import Hummingbird
import QueueCore

/// An API failure, answered as `{"error": "<one line>"}` with its HTTP status
/// (400 bad input, 401 token, 403 foreign host, 404 unknown, 405 wrong method, 409 conflict, 413 body too large).
public struct APIError: HTTPResponseError, Equatable {
    /// The HTTP status of the answer.
    public let status: HTTPResponse.Status
    /// The one-line message, as the CLI would print it.
    public let message: String
    /// Header fields the answer carries besides the JSON ones (`Allow` on a 405, `WWW-Authenticate` on a 401).
    public let headers: HTTPFields

    /// An answer with `status`, the one-line `message` and the extra `headers`.
    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    /// The answer to a queue error: usage errors are 400, missing jobs and schedules 404, id and schedule name
    /// clashes, ambiguous id prefixes and retries of live jobs 409, an `after` id that names no job 422, an
    /// unreachable store 503.
    public init(_ error: QueueError) {
        switch error {
        case .invalidInput: self.init(.badRequest, error.description)
        case .jobNotFound, .scheduleNotFound: self.init(.notFound, error.description)
        case .duplicateJobID, .scheduleExists, .jobNotDead, .jobNotCancellable, .ambiguousJobID, .actionRefused:
            self.init(.conflict, error.description)
        case .unresolvedDependency: self.init(.unprocessableContent, error.description)
        case .storeUnavailable: self.init(.serviceUnavailable, error.description)
        case .operationFailed: self.init(.internalServerError, error.description)
        }
    }

    /// The answer to any error a handler or Hummingbird raised: API and queue errors keep their meaning,
    /// Hummingbird's own errors (unknown route, body too large) keep their status, anything else is a 500.
    public init(_ error: any Error) {
        switch error {
        case let error as APIError: self = error
        case let error as QueueError: self.init(error)
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            self.init(.contentTooLarge, "the request body is larger than \(DashboardConfiguration.bodyLimit) bytes")
        case let error as any HTTPResponseError where error.status == .notFound:
            self.init(.notFound, "no such route: see /api/status, /api/jobs, /api/workers, /metrics")
        case let error as any HTTPResponseError where error.status == .methodNotAllowed:
            self.init(.methodNotAllowed, "this route does not take that method")
        case let error as any HTTPResponseError:
            self.init(error.status, error.status.reasonPhrase)
        default:
            self.init(.internalServerError, "internal error: \(error)")
        }
    }

    /// The JSON error document `{"error": message}` with this status.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONBody.response(["error": message], status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}
