import Hummingbird

/// Turns the router's "not found" for a path that exists, asked with a method it does not take, into
/// 405 Method Not Allowed with the `Allow` header listing the methods it does take.
struct MethodMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Every route of the dashboard.
    let routes: RouteTable

    /// Passes the request on; a routing miss on a known path becomes a 405.
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // Only the router throws HTTPError(.notFound); handlers answer a missing job with QueueError/APIError.
            guard let route = routes.route(matching: request.uri.path), !route.methods.contains(request.method) else {
                throw error
            }
            let allowed = route.methods.map(\.rawValue)
            throw APIError(
                .methodNotAllowed,
                "\(route.pattern) does not take \(request.method.rawValue.prefix(20)); it takes \(allowed.joined(separator: " or "))",
                headers: [.allow: allowed.joined(separator: ", ")])
        }
    }
}
