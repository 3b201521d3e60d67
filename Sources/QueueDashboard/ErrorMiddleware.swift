import Hummingbird

/// Answers every failure — from a handler, the token check or Hummingbird itself (unknown route, body too
/// large) — as `{"error": "..."}` with the matching status, and adds the safety headers to every answer.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Passes the request on, turning any failure into its JSON error answer.
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let failure = APIError(error)
            response = try failure.response(from: request, context: context)
            if failure.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        }
        response.headers[SecurityHeaders.contentTypeOptions] = "nosniff"
        response.headers[SecurityHeaders.referrerPolicy] = "no-referrer"
        response.headers[SecurityHeaders.frameOptions] = "DENY"
        return response
    }
}
