import Foundation
import Hummingbird

/// The cookie that keeps the page usable off loopback after its `?token=` has left the address bar: reloading
/// or opening a bookmark of `/` sends it, where a browser cannot add an `Authorization` header.
///
/// It is `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's page makes the browser send it)
/// and only ever accepted for GET and HEAD, which change nothing: every request that changes the queue still
/// needs the `Authorization` header, which another site cannot make a browser add, so a cookie can never be
/// used for cross-site request forgery.
enum TokenCookie {
    /// How long the browser keeps it: thirty days, like the token the page keeps in local storage.
    static let maxAge = 30 * 24 * 3600

    /// The cookie's name for a request addressed to `authority`. Browsers share cookies among the ports of a
    /// host, so the port is part of the name: two dashboards on one machine keep their own tokens.
    static func name(for authority: String?) -> String {
        guard let authority, let colon = authority.lastIndex(of: ":") else { return "queuectl_token" }
        let port = authority[authority.index(after: colon)...]
        guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber) else {
            return "queuectl_token"
        }
        return "queuectl_token_\(port)"
    }

    /// The `Set-Cookie` value that stores `token` for requests addressed to `authority`.
    static func setCookie(token: String, authority: String?) -> String {
        "\(name(for: authority))=\(encoded(token)); Max-Age=\(maxAge); Path=/; HttpOnly; SameSite=Strict"
    }

    /// Whether one of the request's `Cookie` headers holds this dashboard's cookie with `token`.
    static func carries(_ request: Request, token: String) -> Bool {
        let name = name(for: request.head.authority)
        var found = false
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name else { continue }
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                // Every cookie of that name is compared, so the answer takes the same time whichever matches.
                if DashboardToken.matches(Substring(value.removingPercentEncoding ?? ""), expected: token) { found = true }
            }
        }
        return found
    }

    /// `token` with everything but ASCII letters, digits and `-._~` percent-encoded: a cookie value may not
    /// hold `;`, `,`, `"` or `\`, and a `--token` may.
    private static func encoded(_ token: String) -> String {
        token.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
