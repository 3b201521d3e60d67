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

    @Test("resolving several ids for a change refuses a job named twice, by the same id or two that resolve to it", arguments: TestBackend.all)
    func distinct(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.enqueue(["abcd", "abcd-1", "a1b2c3d4-uuid", "zz"].map { makeJob($0) })
        let resolver = JobIDResolver(store: store)
        func ids(_ values: String...) -> [JobID] { values.map { JobID(trusted: $0) } }

        #expect(try await resolver.resolveDistinct(ids("zz", "a1b2", "abcd")) == ids("zz", "a1b2c3d4-uuid", "abcd"))
        await #expect(throws: QueueError.invalidInput("job id 'zz' is given more than once; give each job once")) {
            try await resolver.resolveDistinct(ids("zz", "abcd", "zz"))
        }
        // A repeat is caught before the ids are looked up, so it is the error even for an unknown id.
        await #expect(throws: QueueError.invalidInput("job id 'nope' is given more than once; give each job once")) {
            try await resolver.resolveDistinct(ids("nope", "nope"))
        }
        await #expect(
            throws: QueueError.invalidInput("'a1b2' and 'a1b2c3d4-uuid' both name job 'a1b2c3d4-uuid'; give each job once")
        ) { try await resolver.resolveDistinct(ids("a1b2", "a1b2c3d4-uuid")) }
        await #expect(
            throws: QueueError.invalidInput("'a1b2c' and 'a1b2' both name job 'a1b2c3d4-uuid'; give each job once")
        ) { try await resolver.resolveDistinct(ids("a1b2c", "zz", "a1b2")) }
        // `abcd` is a whole id, so it does not stand for `abcd-1`: both are named once.
        #expect(try await resolver.resolveDistinct(ids("abcd", "abcd-1")) == ids("abcd", "abcd-1"))
        // Reading commands (`wait`) still take a repeat and count it once.
        #expect(try await resolver.resolve(ids("zz", "zz", "a1b2", "a1b2c3d4-uuid")) == ids("zz", "a1b2c3d4-uuid"))
    }
}
