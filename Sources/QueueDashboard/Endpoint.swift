import Hummingbird

/// One route of the dashboard: a method, a path (a `{name}` segment matches any one segment) and what answers it.
/// The routes are listed before any is registered, so `MethodMiddleware` knows every path and the methods it takes.
struct Endpoint<Context: RequestContext>: Sendable {
    /// The method it answers (GET routes answer HEAD too).
    let method: HTTPRequest.Method
    /// The path pattern, as Hummingbird's router reads it.
    let path: String
    /// Builds the answer.
    let handler: @Sendable (Request, Context) async throws -> Response

    /// `method` on `path`, answered by `handler`.
    init(_ method: HTTPRequest.Method, _ path: String, handler: @escaping @Sendable (Request, Context) async throws -> Response) {
        self.method = method
        self.path = path
        self.handler = handler
    }
}
