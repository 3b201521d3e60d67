import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `jobIDs(withPrefix:limit:)` and the resolution of typed ids on top of it, on every backend.
@Suite("Job id prefixes", .storeScope)
struct JobIDPrefixContractTests {
    static let ids = [
        "abcd", "abcd-1", "abcd-2", "abcd_x", "abcdXy", "abce", "ABCD-9", "ab_cd-1", "abXcd-2", "zz",
    ]

    @Test("the ids starting with a prefix come back in byte order, the id equal to it first", arguments: TestBackend.all)
    func prefixRange(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue(Self.ids.map { makeJob($0) })

        func ids(_ prefix: String, limit: Int = 10) async throws -> [String] {
            try await store.jobIDs(withPrefix: JobID(trusted: prefix), limit: limit).map(\.rawValue)
        }
        #expect(try await ids("abcd") == ["abcd", "abcd-1", "abcd-2", "abcdXy", "abcd_x"])
        #expect(try await ids("abcd", limit: 2) == ["abcd", "abcd-1"])
        #expect(try await ids("abcd-") == ["abcd-1", "abcd-2"], "case and the next character matter")
        // `_` is a literal character of an id, not a LIKE wildcard.
        #expect(try await ids("ab_c") == ["ab_cd-1"])
        #expect(try await ids("ABCD") == ["ABCD-9"])
        #expect(try await ids("abz").isEmpty)
        #expect(try await ids("zz") == ["zz"])
    }

    @Test("an exact id wins, a unique prefix resolves, an ambiguous one names candidates", arguments: TestBackend.all)
    func resolution(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue(
            ["abcd", "abcd-1", "abcd-2", "abcd-3", "abcd-4", "a1b2c3d4-uuid", "zz"].map { makeJob($0) })
        let resolver = JobIDResolver(store: store)

        #expect(try await resolver.resolve("abcd") == JobID(trusted: "abcd"))
        #expect(try await resolver.resolve("a1b2") == JobID(trusted: "a1b2c3d4-uuid"))
        #expect(try await resolver.resolve("zz") == JobID(trusted: "zz"))
        await #expect(throws: QueueError.jobNotFound(JobID(trusted: "a1b"))) { try await resolver.resolve("a1b") }
        await #expect(throws: QueueError.jobNotFound(JobID(trusted: "nope"))) { try await resolver.resolve("nope") }
        await #expect(
            throws: QueueError.ambiguousJobID(
                "abcd-", ["abcd-1", "abcd-2", "abcd-3", "abcd-4"].map { JobID(trusted: $0) })
        ) { try await resolver.resolve("abcd-") }
        await #expect(throws: QueueError.self) { try await resolver.resolve("a/b") }
    }
}
