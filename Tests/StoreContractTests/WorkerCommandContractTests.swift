import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `commands(ofWorkers:)`, what a woken worker reads before it claims (`requestedCommand(for:)`): the rows of the
/// workers named, one command each, and nothing of any other worker.
@Suite("Worker commands read by id", .storeScope)
struct WorkerCommandContractTests {
    @Test("one command per registered worker named; other workers' stops and unknown names are not read", arguments: TestBackend.all)
    func commandsOfNamedWorkers(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let names = ["a1", "a2", "it's", "wörker-ü"]
        try await store.registerWorkers(
            names.map { makeRegistration($0) } + [makeRegistration("b1", host: "host-b")], now: testEpoch)
        try await store.requestStop(.abort, of: .host("host-b"))
        try await store.requestStop(.drain, workers: ["a2", "wörker-ü"])

        #expect(try await store.commands(ofWorkers: []) == [])
        #expect(try await store.commands(ofWorkers: ["ghost"]) == [])
        #expect(try await store.commands(ofWorkers: ["a1", "ghost"]) == [.run])
        #expect(try await store.commands(ofWorkers: names).sorted() == [.run, .run, .drain, .drain])
        #expect(try await store.commands(ofWorkers: ["b1"]) == [.abort])
        // The strongest of the named workers' own commands, whatever the others were told.
        #expect(try await store.requestedCommand(for: ["a1", "it's"]) == .run)
        #expect(try await store.requestedCommand(for: ["a1", "a2"]) == .drain)
        #expect(try await store.requestedCommand(for: ["a1", "b1"]) == .abort)
        try await store.requestStop(.run, of: .all)
        #expect(try await store.requestedCommand(for: names + ["b1"]) == .run)
    }
}
