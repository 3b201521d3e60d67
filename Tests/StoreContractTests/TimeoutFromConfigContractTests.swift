import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Whether a job's timeout is the configured default (it named none) survives the store, on every backend.
@Suite("Timeout from the configuration", .storeScope)
struct TimeoutFromConfigContractTests {
    @Test("a job that named no timeout reads back as such, through enqueue, claim and listing", arguments: TestBackend.all)
    func roundTrip(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let now = testEpoch
        var config = QueueConfig()
        config.jobTimeout = 30
        let unnamed = try makeSpec("true", id: "unnamed").resolved(config: config, now: now)
        let named = try makeSpec("true", id: "named", timeout: 30).resolved(config: config, now: now)
        #expect(unnamed.timeout == 30 && unnamed.timeoutFromConfig)
        #expect(named.timeout == 30 && !named.timeoutFromConfig)
        try await store.enqueue([unnamed, named])

        #expect(try await store.job(JobID(trusted: "unnamed")) == unnamed)
        #expect(try await store.job(JobID(trusted: "named")) == named)
        let claimed = try await store.claimJobs(registering: ["w-1", "w-2"], now: now)
        #expect(claimed.map(\.timeoutFromConfig) == [true, false])
        #expect(try await store.jobs(JobFilter()).map(\.timeoutFromConfig) == [true, false])
    }
}
