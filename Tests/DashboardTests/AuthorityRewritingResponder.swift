import Hummingbird
import HTTPTypes

/// Hands every request to `inner` as if it had been addressed to `authority` (its `Host` header): the router test
/// client always sends `localhost`, and the DNS-rebinding check must be proven through the whole router.
struct AuthorityRewritingResponder<Inner: HTTPResponder>: HTTPResponder {
    /// The `Host` every request seems to name.
    let authority: String
    /// The dashboard's router.
    let inner: Inner

    /// `request`, readdressed, answered by `inner`.
    func respond(to request: Request, context: Inner.Context) async throws -> Response {
        var head = request.head
        head.authority = authority
        return try await inner.respond(to: Request(head: head, body: request.body), context: context)
    }
}
