import Hummingbird
import HTTPTypes

/// Guards the dashboard: every API request, reading too and on loopback too, needs the bearer token in an
/// `Authorization: Bearer` header, the one way a token is taken. On loopback the `Host` header must name loopback,
/// so a web page on another site cannot reach the API through DNS rebinding.
///
/// Open without the token: the page itself (`GET /`, static, it holds no data: it takes the token from its
/// `#token=` fragment, which never reaches the server, and sends it with each API call), and on loopback
/// `/metrics` for Prometheus scrapers unless `protectMetrics` says otherwise. No token is ever taken from a
/// cookie or the query: a cookie is shared by every port of a host, and a query lands in logs and histories.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The token to compare against.
    let token: String
    /// Whether the server is bound to loopback.
    let loopback: Bool
    /// Whether `/metrics` needs the token on loopback too (off loopback it always does).
    let protectMetrics: Bool

    /// Refuses the request (403 foreign host, 401 missing token) or passes it on.
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if loopback, let authority = request.head.authority, !Self.isLoopbackAuthority(authority) {
            throw APIError(.forbidden, "this dashboard only answers requests addressed to 127.0.0.1 or localhost")
        }
        guard isOpen(request) || Self.carriesToken(request, token: token) else {
            throw APIError(
                .unauthorized,
                "missing or wrong token: send 'Authorization: Bearer <token>' with the token of 'queuectl dashboard' "
                    + "(in a browser, open the page as /#token=<token>, the address the dashboard printed)",
                headers: [.wwwAuthenticate: "Bearer"])
        }
        return try await next(request, context)
    }

    /// Whether the request may go without the token: a read of the page, or of `/metrics` on loopback when
    /// metrics are not protected.
    func isOpen(_ request: Request) -> Bool {
        guard Self.onlyReads(request) else { return false }
        switch request.uri.path {
        case "/": return true
        case "/metrics": return loopback && !protectMetrics
        default: return false
        }
    }

    /// Whether the request only reads (GET or HEAD); anything else may change the queue.
    static func onlyReads(_ request: Request) -> Bool {
        request.method == .get || request.method == .head
    }

    /// Whether the request carries the token in `Authorization: Bearer <token>`.
    static func carriesToken(_ request: Request, token: String) -> Bool {
        guard let header = request.headers[.authorization] else { return false }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        return DashboardToken.matches(parts[1].drop { $0 == " " }, expected: token)
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
