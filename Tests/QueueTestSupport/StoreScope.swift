import Foundation
import QueueCore
import Synchronization
import Testing

/// The scope of one store test: a fresh temp directory, and every store the test opens through it, closed
/// (and the directory removed) when the test ends, also when it fails or throws. Put `.storeScope` on a
/// suite (it reaches every test and every backend argument) and take the store from the backend argument:
///
///     @Suite("Claim and run", .storeScope)
///     struct ClaimContractTests {
///         @Test("…", arguments: TestBackend.all)
///         func claimOrder(backend: TestBackend) async throws {
///             let store = try await backend.scopedStore()
///
/// A trait cannot see a test's arguments, so the backend stays the argument and the scope owns what it makes.
public struct StoreScope: TestTrait, SuiteTrait, TestScoping {
    /// What one running test case has opened.
    public final class Context: Sendable {
        /// The test's directory (an SQLite database lives here; the PostgreSQL backend keeps nothing in it).
        public let directory: TempDirectory
        private let stores = Mutex<[any JobStore]>([])

        init() throws { directory = try TempDirectory(prefix: "queuectl-store") }

        /// Registers `store` to be closed when the test ends and hands it back.
        func adopt(_ store: any JobStore) -> any JobStore {
            stores.withLock { $0.append(store) }
            return store
        }

        /// Closes every adopted store, newest first, then removes the directory (not left to whenever the
        /// last reference to it goes).
        func end() async {
            let opened = stores.withLock { stores in
                defer { stores.removeAll() }
                return stores
            }
            for store in opened.reversed() { await store.close() }
            try? FileManager.default.removeItem(atPath: directory.path)
        }
    }

    @TaskLocal static var current: Context?

    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // The suite itself gets no scope: each test case below it gets its own.
        guard testCase != nil else { return try await function() }
        let context = try Context()
        do {
            try await Self.$current.withValue(context) { try await function() }
        } catch {
            await context.end()
            throw error
        }
        await context.end()
    }

    /// The running test's scope, or an error naming the missing trait.
    public static func context() throws -> Context {
        guard let current else {
            throw QueueError.storeUnavailable("this test has no store scope: add .storeScope to its @Suite or @Test")
        }
        return current
    }

    /// Hands `store` (opened some other way) to the running test's scope, which closes it when the test ends.
    public static func adopt(_ store: any JobStore) throws -> any JobStore {
        try context().adopt(store)
    }
}

extension Trait where Self == StoreScope {
    /// A temp directory and closed-afterwards stores for each test case (see `StoreScope`).
    public static var storeScope: StoreScope { StoreScope() }
}

extension TestBackend {
    /// A store on a fresh database in the running test's scope, closed when the test ends.
    public func scopedStore() async throws -> any JobStore {
        try await openScopedStore(scopedDatabaseURL())
    }

    /// A fresh, empty database in the running test's scope (an SQLite path or a PostgreSQL URL), for tests
    /// that open it several times (`openScopedStore(_:)`) or write to it before a store opens it.
    public func scopedDatabaseURL() async throws -> String {
        try await makeDatabaseURL(in: StoreScope.context().directory)
    }

    /// Another store on the database `url` (as a second process would open it), closed when the test ends.
    public func openScopedStore(_ url: String) async throws -> any JobStore {
        let context = try StoreScope.context()
        return context.adopt(try await openStore(url))
    }
}
