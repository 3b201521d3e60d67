import Foundation
import HTTPTypes
import QueueCore
import QueueTestSupport
import Testing

/// `POST /api/jobs` with a `unique_key` goes through the same operation as `enqueue`: a held key adds nothing,
/// the body is the holder, and the note the CLI prints on stderr comes as a `Warning` header.
@Suite("Unique keys over the API")
struct UniqueKeyRouteTests {
    @Test("a held key answers the holder with an 'already queued as' Warning; the rest of a batch is added", arguments: TestBackend.all)
    func heldKey(backend: TestBackend) async throws {
        let fixture = try await DashboardFixture(backend)
        try await fixture.test { client in
            let first = try await client.send(.post, "/api/jobs", body: #"{"id":"holder","command":"true","unique_key":"k"}"#)
            #expect(first.object["unique_key"] as? String == "k")
            #expect(first.headers[values: HTTPField.Name("Warning")!].isEmpty)

            let again = try await client.send(.post, "/api/jobs", body: #"{"id":"late","command":"true","unique_key":"k"}"#)
            #expect(again.object["id"] as? String == "holder")
            #expect(again.headers[values: HTTPField.Name("Warning")!] == [#"299 - "already queued as holder""#])

            let batch = try await client.send(
                .post, "/api/jobs", body: #"[{"id":"new","command":"true"},{"id":"dup","command":"true","unique_key":"k"}]"#)
            #expect(batch.objects.map { $0["id"] as? String } == ["new", "holder"])
            #expect(batch.headers[values: HTTPField.Name("Warning")!] == [#"299 - "job 2: already queued as holder""#])
        }
        #expect(try await fixture.store.jobs(JobFilter()).map(\.id.rawValue) == ["holder", "new"])
    }
}
