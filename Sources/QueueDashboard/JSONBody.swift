import Foundation
import Hummingbird
import QueueCore

/// JSON answers byte for byte as the CLI's `--json` prints them (`OrderedJSONEncoder`: the documents' own key
/// order), without the CLI's trailing newline.
///
/// `<`, `>` and `&` in user data (a command, a log line) are sent as they are, not as `\u003c` escapes: the answer is
/// `application/json` with `X-Content-Type-Options: nosniff`, so no browser renders it as HTML, and the page only
/// ever puts these values into the document as text (its content security policy forbids any other script).
enum JSONBody {
    /// `value` as a JSON response with `status` and the dashboard's safety headers.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        do {
            let text = try OrderedJSONEncoder().encodeToString(value)
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        } catch {
            // Only non-finite numbers fail to encode, and no document holds one; answer rather than crash.
            let text = #"{"error":"internal error: the answer could not be encoded"}"#
            return Response(status: .internalServerError, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    private static let headers: HTTPFields = [
        .contentType: "application/json; charset=utf-8",
        .cacheControl: "no-store",
        SecurityHeaders.contentTypeOptions: "nosniff",
    ]
}
