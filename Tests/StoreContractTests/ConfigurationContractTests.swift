import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Stored configuration, on every backend.
@Suite("Configuration", .storeScope)
struct ConfigurationContractTests {
    @Test("a new store reports the contract's defaults", arguments: TestBackend.all)
    func defaults(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let config = try await store.configuration()
        #expect(config == QueueConfig())
        #expect(config.maxRetries == 3)
        #expect(config.backoffBase == 2)
        #expect(config.backoffMax == 3600)
        #expect(config.jobTimeout == 0)
        #expect(config.pollIntervalMilliseconds == 500)
        #expect(config.leaseTimeout == 30)
    }

    @Test("a set value is read back by another store on the same database and others keep their defaults",
          arguments: TestBackend.all)
    func roundTrip(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        let store = try await backend.openScopedStore(url)
        var config = try await store.configuration()
        try config.set(.backoffBase, to: "1.5")
        try await store.setConfiguration(.backoffBase, to: config)
        try config.set(.maxRetries, to: "0")
        try await store.setConfiguration(.maxRetries, to: config)
        try config.set(.maxRetries, to: "5")
        try await store.setConfiguration(.maxRetries, to: config)

        let other = try await backend.openScopedStore(url)
        let read = try await other.configuration()
        #expect(read.backoffBase == 1.5)
        #expect(read.maxRetries == 5)
        #expect(read.leaseTimeout == 30)
        #expect(read.value(of: .backoffBase) == "1.5")
    }
}
