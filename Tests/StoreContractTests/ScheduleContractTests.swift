import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Schedules on every backend: add, list, remove, and firing a tick exactly once however many firers race.
@Suite("Schedules", .storeScope)
struct ScheduleContractTests {
    /// `store` as a schedule store (both stores are).
    private func schedules(_ store: any JobStore) throws -> any ScheduleStore {
        try #require(store as? any ScheduleStore)
    }

    /// An `--every` schedule added at `addedAt`.
    private func everySchedule(
        _ name: String, seconds: Int64, command: String = "echo tick", addedAt: Date = testEpoch
    ) throws -> ScheduleRecord {
        ScheduleRecord(
            name: try ScheduleName(name), spec: try ScheduleSpec(everySeconds: seconds),
            job: try JobSpec(command: command), addedAt: addedAt)
    }

    /// What a worker does: read the schedule, and fire its due tick at `now` if it has one.
    private func fireDue(_ name: String, on store: any ScheduleStore, now: Date) async throws -> ScheduleFiring? {
        guard let record = try await store.schedules().first(where: { $0.name.rawValue == name }),
            let tick = record.dueTick(now: now)
        else { return nil }
        let job = record.jobSpec(for: tick).resolved(config: QueueConfig(), now: now)
        return try await store.fireScheduleTick(tick, of: record.name, job: job)
    }

    @Test("added schedules list back by name with every field", arguments: TestBackend.all)
    func addAndList(backend: TestBackend) async throws {
        let store = try schedules(try await backend.scopedStore())
        let nightly = ScheduleRecord(
            name: try ScheduleName("nightly"), spec: try ScheduleSpec(cron: "30 2 * * MON-FRI", timeZone: "Europe/Berlin"),
            job: try JobSpec(command: "backup.sh --all", maxRetries: 5, priority: -3, timeout: 600, queue: "ops"),
            addedAt: testEpoch.addingTimeInterval(1.5))
        let often = try everySchedule("a-often", seconds: 90)
        try await store.addSchedule(nightly)
        try await store.addSchedule(often)

        let listed = try await store.schedules()
        #expect(listed == [often, nightly])
        #expect(listed.last?.job.timeout == 600 && listed.first?.job.timeout == nil)
        #expect(listed.allSatisfy { $0.lastTick == nil })
    }

    @Test("adding a name that exists fails and keeps the first schedule", arguments: TestBackend.all)
    func addExisting(backend: TestBackend) async throws {
        let store = try schedules(try await backend.scopedStore())
        let first = try everySchedule("report", seconds: 60, command: "first")
        try await store.addSchedule(first)

        let name = try ScheduleName("report")
        await #expect(throws: QueueError.scheduleExists(name)) {
            try await store.addSchedule(try everySchedule("report", seconds: 30, command: "second"))
        }
        #expect(try await store.schedules() == [first])
        #expect(QueueError.scheduleExists(name).exitCode == 1)
    }

    @Test("removing a schedule deletes it and keeps its jobs; an unknown name fails", arguments: TestBackend.all)
    func remove(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let schedules = try schedules(store)
        try await schedules.addSchedule(try everySchedule("keep", seconds: 60))
        try await schedules.addSchedule(try everySchedule("drop", seconds: 60))
        #expect(try await fireDue("drop", on: schedules, now: testEpoch.addingTimeInterval(61)) != nil)

        try await schedules.removeSchedule(named: try ScheduleName("drop"))
        #expect(try await schedules.schedules().map(\.name.rawValue) == ["keep"])
        #expect(try await store.job(JobID(trusted: "drop.20270115T080100Z")) != nil)
        let unknown = try ScheduleName("drop")
        await #expect(throws: QueueError.scheduleNotFound(unknown)) { try await schedules.removeSchedule(named: unknown) }
        #expect(QueueError.scheduleNotFound(unknown).exitCode == 1)
    }

    @Test("three firers on separate connections enqueue exactly one job per tick", arguments: TestBackend.all)
    func exactlyOncePerTick(backend: TestBackend) async throws {
        let url = try await backend.scopedDatabaseURL()
        var firers: [any ScheduleStore] = []
        for _ in 0..<3 { firers.append(try schedules(try await backend.openScopedStore(url))) }
        try await firers[0].addSchedule(try everySchedule("race", seconds: 60))

        let rounds = 25
        var enqueued: [JobID] = []
        for round in 1...rounds {
            // A little after the tick, as three workers polling once a second would see it.
            let now = testEpoch.addingTimeInterval(Double(round * 60) + 0.25)
            let outcomes = try await withThrowingTaskGroup(of: ScheduleFiring?.self) { group in
                for firer in firers { group.addTask { try await fireDue("race", on: firer, now: now) } }
                var outcomes: [ScheduleFiring?] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            let made = outcomes.compactMap { outcome -> JobID? in
                if case .enqueued(let id) = outcome { return id }
                return nil
            }
            #expect(made.count == 1, "round \(round): \(outcomes)")
            // The guarded update decides, not the job id's uniqueness: no firer got as far as the insert.
            #expect(outcomes.allSatisfy { $0 == nil || $0 == .alreadyFired || $0 == .enqueued(made.first ?? JobID(trusted: "-")) })
            enqueued += made
        }
        let store = try await backend.openScopedStore(url)
        let jobs = try await store.jobs(JobFilter())
        #expect(jobs.count == rounds)
        #expect(Set(jobs.map(\.id)) == Set(enqueued))
        #expect(try await store.counts(now: testEpoch).pending == rounds)
        let expected = (1...rounds).map { ScheduleTick(instant: testEpoch.addingTimeInterval(Double($0 * 60))) }
        let name = try ScheduleName("race")
        #expect(jobs.map(\.id) == expected.map { $0.jobID(for: name) })
    }

    @Test("after downtime only the latest missed tick is enqueued, and an earlier tick never fires after it", arguments: TestBackend.all)
    func latestMissedTickOnly(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let schedules = try schedules(store)
        try await schedules.addSchedule(try everySchedule("hourly", seconds: 3600))
        let name = try ScheduleName("hourly")

        // Nobody ran for five and a half hours: ticks at +1h…+5h were missed.
        let back = testEpoch.addingTimeInterval(5.5 * 3600)
        let latest = ScheduleTick(instant: testEpoch.addingTimeInterval(5 * 3600))
        #expect(try await fireDue("hourly", on: schedules, now: back) == .enqueued(latest.jobID(for: name)))
        #expect(try await fireDue("hourly", on: schedules, now: back) == nil)
        #expect(try await store.jobs(JobFilter()).map(\.id.rawValue) == ["hourly.20270115T130000Z"])
        #expect(try await schedules.schedules().first?.lastTick == latest.instant)

        // A slow firer that read the schedule before the downtime ended still holds an earlier tick: refused.
        let stale = ScheduleTick(instant: testEpoch.addingTimeInterval(4 * 3600))
        let record = try #require(try await schedules.schedules().first)
        let job = record.jobSpec(for: stale).resolved(config: QueueConfig(), now: back)
        #expect(try await schedules.fireScheduleTick(stale, of: name, job: job) == .alreadyFired)
        #expect(try await store.jobs(JobFilter()).count == 1)
    }

    @Test("a tick whose job id a user took counts as fired and leaves that job alone", arguments: TestBackend.all)
    func takenJobID(backend: TestBackend) async throws {
        let store = try await backend.scopedStore()
        let schedules = try schedules(store)
        try await schedules.addSchedule(try everySchedule("nightly", seconds: 60, command: "scheduled"))
        let taken = JobID(trusted: "nightly.20270115T080100Z")
        try await store.enqueue([makeJob(taken.rawValue, command: "mine")])

        let now = testEpoch.addingTimeInterval(61)
        #expect(try await fireDue("nightly", on: schedules, now: now) == .jobIDTaken(taken))
        #expect(try await store.job(taken)?.command == "mine")
        #expect(try await store.jobs(JobFilter()).count == 1)
        #expect(try await store.counts(now: now).pending == 1)
        let record = try #require(try await schedules.schedules().first)
        #expect(record.lastTick == testEpoch.addingTimeInterval(60))
        #expect(record.lastJob == taken)
        #expect(try await fireDue("nightly", on: schedules, now: now) == nil)
        // The next tick enqueues as usual.
        #expect(
            try await fireDue("nightly", on: schedules, now: now.addingTimeInterval(60))
                == .enqueued(JobID(trusted: "nightly.20270115T080200Z")))
    }
}
