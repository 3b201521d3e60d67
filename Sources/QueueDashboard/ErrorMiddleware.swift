import Hummingbird

/// Answers every failure — from a handler, the token check or Hummingbird itself (unknown route, body too
/// large) — as `{"error": "..."}` with the matching status, adds the safety headers to every answer, and sends
/// no body to a HEAD request (its headers are those the GET would get).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Passes the request on, turning any failure into its JSON error answer.
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try APIError(error).response(from: request, context: context)
        }
        if request.method == .head { response = response.createHeadResponse() }
        response.headers[SecurityHeaders.contentTypeOptions] = "nosniff"
        response.headers[SecurityHeaders.referrerPolicy] = "no-referrer"
        response.headers[SecurityHeaders.frameOptions] = "DENY"
        return response
    }
}
