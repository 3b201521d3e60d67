import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// The one stop request operation (`requestStop(_:of:)`) and liveness at a lease the caller passes, on every
/// backend: the stores apply the core's order of commands and the core's lease cut-off.
@Suite("Stop requests and liveness at a given lease", .storeScope)
struct StopRequestContractTests {
    private func commands(_ store: any JobStore) async throws -> [String: WorkerCommand] {
        Dictionary(uniqueKeysWithValues: try await store.workers().map { ($0.id, $0.command) })
    }

    @Test("each selection reaches exactly its workers; run takes a stop back", arguments: TestBackend.all)
    func selections(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.registerWorkers(
            [makeRegistration("a1"), makeRegistration("a2"), makeRegistration("b1", host: "host-b")], now: testEpoch)

        try await store.requestStop(.drain, of: .workers([]))
        #expect(try await commands(store) == ["a1": .run, "a2": .run, "b1": .run])
        try await store.requestStop(.drain, of: .workers(["a2"]))
        #expect(try await commands(store) == ["a1": .run, "a2": .drain, "b1": .run])
        try await store.requestStop(.abort, of: .host("host-b"))
        #expect(try await commands(store) == ["a1": .run, "a2": .drain, "b1": .abort])
        try await store.requestStop(.drain, of: .all)
        #expect(try await commands(store) == ["a1": .drain, "a2": .drain, "b1": .abort])
        try await store.requestStop(.run, of: .host("host-a"))
        #expect(try await commands(store) == ["a1": .run, "a2": .run, "b1": .abort])
        try await store.requestStop(.run, of: .all)
        #expect(try await commands(store) == ["a1": .run, "a2": .run, "b1": .run])
    }

    @Test("counts judge liveness by the lease timeout passed, not by one the store reads", arguments: TestBackend.all)
    func countsAtGivenLease(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        try await store.registerWorkers([makeRegistration("w1")], now: testEpoch)
        let now = testEpoch.addingTimeInterval(10)
        #expect(try await store.counts(now: now, leaseTimeout: 10).workers == 1)
        #expect(try await store.counts(now: now, leaseTimeout: 9.999).workers == 0)
        // The convenience reads the configured lease_timeout (30 s by default).
        #expect(try await store.counts(now: now).workers == 1)
        #expect(try await store.counts(now: testEpoch.addingTimeInterval(30.001)).workers == 0)
    }
}
