import Foundation
import QueueCore
import Testing

/// Which tick a worker enqueues (only the latest missed one, never one twice) and the job id it gets.
@Suite("Due schedule ticks")
struct ScheduleTickTests {
    let time = ScheduleTestTimes.instant

    @Test("after a week of downtime only the latest missed tick is due, and once enqueued it is not due again")
    func downtime() throws {
        let hourly = try ScheduleSpec(every: "1h")
        let lastTick = try time("2026-11-29T05:00:00Z")
        let now = try time("2026-12-06T05:30:00Z")
        let due = ScheduleTick.due(for: hourly, lastTick: lastTick, addedAt: try time("2026-11-01T00:00:00Z"), now: now)
        #expect(due?.label == "20261206T050000Z")
        // The worker that enqueued it stored it as the last tick: nothing is due until 06:00.
        #expect(ScheduleTick.due(for: hourly, lastTick: due?.instant, addedAt: lastTick, now: now) == nil)
        #expect(ScheduleTick.due(for: hourly, lastTick: due?.instant, addedAt: lastTick, now: try time("2026-12-06T05:59:59Z")) == nil)
        #expect(ScheduleTick.due(for: hourly, lastTick: due?.instant, addedAt: lastTick, now: try time("2026-12-06T06:00:00Z"))?.label
            == "20261206T060000Z")
    }

    @Test("a cron schedule in a zone: the latest missed local tick, as an instant")
    func cronDowntime() throws {
        let nightly = try ScheduleSpec(cron: "30 2 * * *", timeZone: "Europe/Berlin")
        let due = ScheduleTick.due(
            for: nightly, lastTick: try time("2026-03-20T01:30:00Z"), addedAt: try time("2026-03-01T00:00:00Z"),
            now: try time("2026-03-29T12:00:00Z"))
        // 02:30 did not exist that night: the tick is the change to summer time, 03:00 CEST.
        #expect(due?.instant == (try time("2026-03-29T01:00:00Z")))
    }

    @Test("a schedule that never fired counts from when it was added, not from a tick before it")
    func firstTick() throws {
        let monthly = try ScheduleSpec(cron: "@monthly")
        let addedAt = try time("2026-12-06T05:00:00Z")
        #expect(ScheduleTick.due(for: monthly, lastTick: nil, addedAt: addedAt, now: try time("2026-12-20T00:00:00Z")) == nil)
        #expect(ScheduleTick.due(for: monthly, lastTick: nil, addedAt: addedAt, now: try time("2027-01-01T00:00:00Z"))?.label
            == "20270101T000000Z")
    }

    @Test("the next run is the tick waiting for a worker, else the first tick after now")
    func nextRun() throws {
        let quarter = try ScheduleSpec(every: "15m")
        let addedAt = try time("2026-12-06T04:00:00Z")
        let now = try time("2026-12-06T05:20:00Z")
        // Nothing enqueued since 04:30: the 05:15 tick is due and is what runs next.
        #expect(ScheduleTick.nextRun(for: quarter, lastTick: try time("2026-12-06T04:30:00Z"), addedAt: addedAt, now: now)
            == (try time("2026-12-06T05:15:00Z")))
        #expect(ScheduleTick.nextRun(for: quarter, lastTick: try time("2026-12-06T05:15:00Z"), addedAt: addedAt, now: now)
            == (try time("2026-12-06T05:30:00Z")))
    }

    @Test("a tick's job is NAME.<tick in UTC>, and the longest name still makes a valid id")
    func jobID() throws {
        let tick = ScheduleTick(instant: try time("2026-12-06T05:00:00Z"))
        #expect(tick.jobID(for: try ScheduleName("nightly-report")).rawValue == "nightly-report.20261206T050000Z")
        let longest = try ScheduleName(String(repeating: "n", count: ScheduleName.maximumLength))
        #expect(ScheduleName.maximumLength == 111)
        let id = tick.jobID(for: longest).rawValue
        #expect(id.count == JobID.maximumLength)
        #expect(JobID.isValid(id))
        // A zone does not change the id: it is the instant in UTC.
        let berlin = try ScheduleSpec(cron: "0 6 * * *", timeZone: "Europe/Berlin")
        let short = try ScheduleName("b")
        let due = ScheduleTick.due(
            for: berlin, lastTick: nil, addedAt: try time("2026-12-01T00:00:00Z"), now: try time("2026-12-06T05:30:00Z"))
        #expect(due.map { $0.jobID(for: short).rawValue } == "b.20261206T050000Z")
    }

    struct BadName: Sendable, CustomTestStringConvertible {
        let name: String
        let message: String
        var testDescription: String { "'\(name.prefix(20))'" }
    }

    static let rules = "use 1 to 111 letters, digits, '.', '_' or '-', not starting with '.'"

    static let badNames: [BadName] = [
        .init(name: "", message: "invalid schedule name '': \(rules)"),
        .init(name: ".hidden", message: "invalid schedule name '.hidden': \(rules)"),
        .init(name: "a/b", message: "invalid schedule name 'a/b': \(rules)"),
        .init(name: "night ly", message: "invalid schedule name 'night ly': \(rules)"),
        .init(name: String(repeating: "x", count: 112),
              message: "schedule name '\(String(repeating: "x", count: 40))…' is 112 characters; at most 111 fit, since its jobs' ids add '.YYYYMMDDTHHMMSSZ'"),
    ]

    @Test("a schedule name follows the job id rules and leaves room for the tick", arguments: badNames)
    func badName(example: BadName) {
        #expect(throws: QueueError.invalidInput(example.message)) { try ScheduleName(example.name) }
    }
}
