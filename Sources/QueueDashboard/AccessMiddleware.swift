import Hummingbird
import HTTPTypes

/// Guards the dashboard: requests that change the queue need the bearer token; off loopback every request
/// does. On loopback the `Host` header must name loopback too, so a web page on another site cannot reach
/// the API through DNS rebinding.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The token to compare against.
    let token: String
    /// Whether the server is bound to loopback.
    let loopback: Bool

    /// Refuses the request (403 foreign host, 401 missing token) or passes it on.
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if loopback, let authority = request.head.authority, !Self.isLoopbackAuthority(authority) {
            throw APIError(.forbidden, "this dashboard only answers requests addressed to 127.0.0.1 or localhost")
        }
        let changesQueue = request.method != .get && request.method != .head
        if changesQueue || !loopback {
            guard Self.carriesToken(request, token: token) else {
                throw APIError(
                    .unauthorized,
                    "missing or wrong token: send 'Authorization: Bearer <token>' with the token 'queuectl dashboard' printed",
                    headers: [.wwwAuthenticate: "Bearer"])
            }
        }
        return try await next(request, context)
    }

    /// Whether the request has `Authorization: Bearer <token>`. The page itself (`GET /`) may instead carry it as
    /// `?token=`, since a browser cannot add headers to the address the user opens.
    static func carriesToken(_ request: Request, token: String) -> Bool {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                return DashboardToken.matches(parts[1].drop { $0 == " " }, expected: token)
            }
            return false
        }
        if request.method == .get, request.uri.path == "/", let given = request.uri.queryParameters["token"] {
            return DashboardToken.matches(given, expected: token)
        }
        return false
    }

    /// Whether a `Host` value (`name[:port]`, IPv6 in brackets) names loopback.
    static func isLoopbackAuthority(_ authority: String) -> Bool {
        var host = Substring(authority)
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        return DashboardConfiguration.isLoopback(String(host))
    }
}
