import Hummingbird
import HTTPTypes

/// Guards the dashboard: requests that change the queue need the bearer token; off loopback every request
/// does. On loopback the `Host` header must name loopback too, so a web page on another site cannot reach
/// the API through DNS rebinding.
///
/// Where the token may come from: the `Authorization: Bearer` header, always; `?token=` on the page itself
/// (`GET /`), since a browser cannot add headers to the address the user opens; and, for GET and HEAD only, the
/// `TokenCookie` that a page opened with a right `?token=` receives, so reloading or bookmarking it keeps working.
/// Requests that change the queue accept nothing but the header.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The token to compare against.
    let token: String
    /// Whether the server is bound to loopback.
    let loopback: Bool

    /// Refuses the request (403 foreign host, 401 missing token) or passes it on; the answer to the page opened
    /// with a right `?token=` sets the token cookie.
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if loopback, let authority = request.head.authority, !Self.isLoopbackAuthority(authority) {
            throw APIError(.forbidden, "this dashboard only answers requests addressed to 127.0.0.1 or localhost")
        }
        if !Self.onlyReads(request) || !loopback {
            guard Self.carriesToken(request, token: token) else {
                throw APIError(
                    .unauthorized,
                    "missing or wrong token: send 'Authorization: Bearer <token>' (or open the page as /?token=<token>) "
                        + "with the token 'queuectl dashboard' printed",
                    headers: [.wwwAuthenticate: "Bearer"])
            }
        }
        var response = try await next(request, context)
        if Self.pageQueryToken(request).map({ DashboardToken.matches($0, expected: token) }) == true {
            response.headers.append(
                HTTPField(name: .setCookie, value: TokenCookie.setCookie(token: token, authority: request.head.authority)))
        }
        return response
    }

    /// Whether the request only reads (GET or HEAD); anything else may change the queue.
    static func onlyReads(_ request: Request) -> Bool {
        request.method == .get || request.method == .head
    }

    /// Whether the request carries the token: in `Authorization: Bearer <token>` (which, when present, decides);
    /// else, for GET or HEAD only, as the page's `?token=` or in the token cookie.
    static func carriesToken(_ request: Request, token: String) -> Bool {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                return DashboardToken.matches(parts[1].drop { $0 == " " }, expected: token)
            }
            return false
        }
        guard onlyReads(request) else { return false }
        if let given = pageQueryToken(request), DashboardToken.matches(given, expected: token) { return true }
        return TokenCookie.carries(request, token: token)
    }

    /// The `?token=` of a GET or HEAD of the page (`/`), if any.
    static func pageQueryToken(_ request: Request) -> Substring? {
        guard onlyReads(request), request.uri.path == "/" else { return nil }
        return request.uri.queryParameters["token"]
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
