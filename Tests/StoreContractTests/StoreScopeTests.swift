import Foundation
import QueueCore
import QueueTestSupport
import Synchronization
import Testing

/// The `.storeScope` trait the contract tests take their stores from: what it opens is gone afterwards,
/// also when the test throws, and a test without it is told what is missing.
@Suite("Store scope (test support)")
struct StoreScopeTests {
    private struct Planned: Error {}

    /// Runs `body` inside a fresh store scope, as the trait runs a test case, and returns what `body` returned.
    private func inScope<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let result = Mutex<T?>(nil)
        try await StoreScope.storeScope.provideScope(
            for: try #require(Test.current), testCase: Test.Case.current
        ) {
            let value = try await body()
            result.withLock { $0 = value }
        }
        return try #require(result.withLock { $0 })
    }

    @Test("the scope's directory and its stores are gone once the test case ends", arguments: TestBackend.all)
    func cleanedUp(backend: TestBackend) async throws {
        let (directory, store) = try await inScope { () -> (String, any JobStore) in
            let store = try await backend.scopedStore()
            try await store.enqueue([makeJob("kept")])
            #expect(try await store.job(JobID(trusted: "kept")) != nil)
            return (try StoreScope.context().directory.path, store)
        }
        #expect(!FileManager.default.fileExists(atPath: directory))
        if backend == .postgres {
            // A closed PostgreSQL store has no connections left to answer.
            await #expect(throws: (any Error).self) { try await store.job(JobID(trusted: "kept")) }
        }
    }

    @Test("a test case that throws still has its directory removed, and the error reaches the test")
    func cleanedUpAfterThrow() async throws {
        let directory = Mutex<String?>(nil)
        await #expect(throws: Planned.self) {
            _ = try await inScope { () -> Int in
                directory.withLock { $0 = try? StoreScope.context().directory.path }
                _ = try await TestBackend.sqlite.scopedStore()
                throw Planned()
            }
        }
        let path = try #require(directory.withLock { $0 })
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("outside a scope, asking for a scoped store says which trait is missing")
    func missingTrait() async throws {
        await #expect {
            _ = try await TestBackend.sqlite.scopedStore()
        } throws: { error in
            "\(error)".contains(".storeScope")
        }
    }
}
