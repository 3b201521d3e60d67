import Foundation
import Hummingbird
import QueueCore

/// JSON answers in the CLI's encoding (`OrderedJSONEncoder`: the documents' own key order), made safe to embed in HTML:
/// `<`, `>` and `&` are written as `\u003c`, `\u003e`, `\u0026` (the same values once decoded), so a
/// user's `<script>` can never appear as markup in any answer, whatever the client does with it.
enum JSONBody {
    /// `value` as a JSON response with `status` and the dashboard's safety headers.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data: Data
        do {
            data = try OrderedJSONEncoder().encode(value)
        } catch {
            // Only non-finite numbers fail to encode, and no document holds one; answer rather than crash.
            data = Data(#"{"error":"internal error: the answer could not be encoded"}"#.utf8)
            return Response(status: .internalServerError, headers: headers, body: .init(byteBuffer: buffer(data)))
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer(data)))
    }

    private static let headers: HTTPFields = [
        .contentType: "application/json; charset=utf-8",
        .cacheControl: "no-store",
        SecurityHeaders.contentTypeOptions: "nosniff",
    ]

    /// Copies `data` into a buffer, escaping the three HTML-significant bytes. They can only occur inside
    /// JSON strings, so replacing them with their `\u` escapes keeps the document's meaning.
    private static func buffer(_ data: Data) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(data.count + 16)
        for byte in data {
            switch byte {
            case UInt8(ascii: "<"): buffer.writeString("\\u003c")
            case UInt8(ascii: ">"): buffer.writeString("\\u003e")
            case UInt8(ascii: "&"): buffer.writeString("\\u0026")
            default: buffer.writeInteger(byte)
            }
        }
        return buffer
    }
}
