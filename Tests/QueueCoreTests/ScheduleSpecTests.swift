import Foundation
import QueueCore
import Testing

/// Ticks as instants: cron in IANA zones across daylight-saving changes (a skipped local time runs at
/// the first instant after it, a repeated one runs once) and `--every` on multiples of the interval since
/// the epoch. Every instant is fixed; nothing reads the wall clock.
@Suite("Schedule ticks")
struct ScheduleSpecTests {
    struct Example: Sendable, CustomTestStringConvertible {
        let what: String
        let expression: String
        let zone: String
        let after: String
        let ticks: [String]
        var testDescription: String { what }
    }

    // Europe/Berlin: 2026-03-29 01:00Z clocks go 02:00 CET → 03:00 CEST; 2026-10-25 01:00Z 03:00 CEST → 02:00 CET.
    // America/New_York: 2026-03-08 07:00Z 02:00 EST → 03:00 EDT; 2026-11-01 06:00Z 02:00 EDT → 01:00 EST.
    static let daylightSaving: [Example] = [
        .init(what: "Berlin, spring forward: 02:30 is skipped and runs at 03:00 CEST", expression: "30 2 * * *",
              zone: "Europe/Berlin", after: "2026-03-27T12:00:00Z",
              ticks: ["2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"]),
        .init(what: "Berlin, spring forward: every skipped half hour collapses into one tick at 03:00",
              expression: "*/30 * * * *", zone: "Europe/Berlin", after: "2026-03-29T00:00:00Z",
              ticks: ["2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z"]),
        .init(what: "Berlin, spring forward: 02:00-02:59 and 03:00 are one instant", expression: "0 2,3 * * *",
              zone: "Europe/Berlin", after: "2026-03-28T12:00:00Z",
              ticks: ["2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z", "2026-03-30T01:00:00Z"]),
        .init(what: "Berlin, fall back: 02:30 runs once, at its first occurrence (CEST)", expression: "30 2 * * *",
              zone: "Europe/Berlin", after: "2026-10-24T12:00:00Z",
              ticks: ["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"]),
        .init(what: "Berlin, fall back: the repeated hour's second pass fires nothing", expression: "*/30 * * * *",
              zone: "Europe/Berlin", after: "2026-10-25T00:00:00Z",
              ticks: ["2026-10-25T00:30:00Z", "2026-10-25T02:00:00Z", "2026-10-25T02:30:00Z"]),
        .init(what: "New York, spring forward: 02:30 is skipped and runs at 03:00 EDT", expression: "30 2 * * *",
              zone: "America/New_York", after: "2026-03-07T00:00:00Z",
              ticks: ["2026-03-07T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"]),
        .init(what: "New York, fall back: 01:30 runs once, at its first occurrence (EDT)", expression: "30 1 * * *",
              zone: "America/New_York", after: "2026-10-31T00:00:00Z",
              ticks: ["2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"]),
        .init(what: "New York, a daily 09:00 moves with the offset", expression: "0 9 * * *",
              zone: "America/New_York", after: "2026-03-07T00:00:00Z",
              ticks: ["2026-03-07T14:00:00Z", "2026-03-08T13:00:00Z"]),
        .init(what: "a zone with a half-hour offset", expression: "0 0 * * *", zone: "Asia/Kolkata",
              after: newYear, ticks: ["2026-01-01T18:30:00Z", "2026-01-02T18:30:00Z"]),
    ]

    static let newYear = "2026-01-01T00:00:00Z"

    @Test("cron ticks in a zone across daylight-saving changes", arguments: daylightSaving)
    func daylightSavingChanges(example: Example) throws {
        let spec = try ScheduleSpec(cron: example.expression, timeZone: example.zone)
        #expect(try ScheduleTestTimes.ticks(of: spec, after: example.after, count: example.ticks.count) == example.ticks)
        #expect(spec.timeZoneIdentifier == example.zone)
    }

    @Test("the latest tick at or before an instant, around the changes")
    func latestTicks() throws {
        let berlin = try ScheduleSpec(cron: "30 2 * * *", timeZone: "Europe/Berlin")
        let time = ScheduleTestTimes.instant
        // The skipped 02:30 stands for the change itself, at or before it exactly.
        #expect(berlin.latestTick(atOrBefore: try time("2026-03-29T01:00:00Z")) == (try time("2026-03-29T01:00:00Z")))
        #expect(berlin.latestTick(atOrBefore: try time("2026-03-29T00:59:59Z")) == (try time("2026-03-28T01:30:00Z")))
        // 02:10 CET, in the repeated hour's second pass: 02:50 CEST has already happened, 80 minutes earlier.
        let late = try ScheduleSpec(cron: "50 2 * * *", timeZone: "Europe/Berlin")
        #expect(late.latestTick(atOrBefore: try time("2026-10-25T01:10:00Z")) == (try time("2026-10-25T00:50:00Z")))
        #expect(late.nextTick(after: try time("2026-10-25T01:10:00Z")) == (try time("2026-10-26T01:50:00Z")))
        let newYork = try ScheduleSpec(cron: "30 1 * * *", timeZone: "America/New_York")
        #expect(newYork.latestTick(atOrBefore: try time("2026-11-01T06:45:00Z")) == (try time("2026-11-01T05:30:00Z")))
    }

    struct Walk: Sendable, CustomTestStringConvertible {
        let expression: String
        let zone: String
        var testDescription: String { "'\(expression)' in \(zone)" }
    }

    static let walks: [Walk] = [
        .init(expression: "*/20 * * * *", zone: "Europe/Berlin"), .init(expression: "30 2 * * *", zone: "Europe/Berlin"),
        .init(expression: "15 1,2 * * *", zone: "America/New_York"), .init(expression: "@hourly", zone: "Australia/Lord_Howe"),
        .init(expression: "0 0 * * MON", zone: "Pacific/Apia"),
    ]

    /// Every tick of 2026 (Pacific/Apia: 2011, when it skipped 30 December) walked forward: strictly
    /// increasing, each one its own latest tick, the instant before it leading back to the one before.
    @Test("next and latest ticks agree over a year of changes", arguments: walks)
    func nextAndLatestAgree(walk: Walk) throws {
        let spec = try ScheduleSpec(cron: walk.expression, timeZone: walk.zone)
        let year = walk.zone == "Pacific/Apia" ? "2011" : "2026"
        var previous = try ScheduleTestTimes.instant("\(year)-01-01T00:00:00Z")
        let end = try ScheduleTestTimes.instant("\(year)-12-31T23:59:00Z")
        var count = 0
        while previous < end {
            let tick = spec.nextTick(after: previous)
            #expect(tick > previous)
            #expect(spec.latestTick(atOrBefore: tick) == tick)
            if count > 0 { #expect(spec.latestTick(atOrBefore: tick.addingTimeInterval(-1)) == previous) }
            previous = tick
            count += 1
        }
        #expect(count > 40)
    }

    @Test("Samoa's skipped day: a weekly Friday tick falls on the change, once")
    func skippedDay() throws {
        // Pacific/Apia went from 2011-12-29 23:59:59 (-10:00) straight to 2011-12-31 00:00 (+14:00).
        let spec = try ScheduleSpec(cron: "0 12 * * FRI", timeZone: "Pacific/Apia")
        #expect(try ScheduleTestTimes.ticks(of: spec, after: "2011-12-25T00:00:00Z", count: 2)
            == ["2011-12-30T10:00:00Z", "2012-01-05T22:00:00Z"])
    }

    @Test("an unknown zone is a usage error naming it")
    func unknownZone() throws {
        let message = "unknown time zone 'Mars/Olympus'; give an IANA name such as Europe/Berlin, America/New_York or UTC"
        #expect(throws: QueueError.invalidInput(message)) { try ScheduleSpec(cron: "@daily", timeZone: "Mars/Olympus") }
        #expect(throws: QueueError.invalidInput(message)) { try ScheduleSpec(every: "1h", timeZone: "Mars/Olympus") }
        #expect(throws: QueueError.invalidInput(
            "unknown time zone ''; give an IANA name such as Europe/Berlin, America/New_York or UTC")) {
            try ScheduleSpec(cron: "@daily", timeZone: "")
        }
        // Foundation would read GMT+1 as UTC+01:00, IANA's Etc/GMT+1 is UTC-01:00: neither is guessed.
        #expect(throws: QueueError.invalidInput(
            "unknown time zone 'GMT+1'; give an IANA name such as Europe/Berlin, America/New_York or UTC")) {
            try ScheduleSpec(cron: "@daily", timeZone: "GMT+1")
        }
        let etc = try ScheduleSpec(cron: "0 0 * * *", timeZone: "Etc/GMT+1")
        #expect(try ScheduleTestTimes.ticks(of: etc, after: "2026-01-01T00:00:00Z", count: 1) == ["2026-01-01T01:00:00Z"])
    }

    @Test("--every ticks on whole multiples of the interval since the epoch, whatever the zone")
    func everyAlignment() throws {
        let quarter = try ScheduleSpec(every: "15m", timeZone: "Asia/Kolkata")
        #expect(quarter.everySeconds == 900)
        #expect(quarter.timeZoneIdentifier == "Asia/Kolkata")
        #expect(try ScheduleSpec(every: "1h").timeZoneIdentifier == "UTC")
        #expect(quarter.cronExpression == nil)
        #expect(try ScheduleTestTimes.ticks(of: quarter, after: "2026-01-01T00:07:30Z", count: 3)
            == ["2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:45:00Z"])
        // On a tick: the next is the one after it; the latest is that tick.
        let onTick = try ScheduleTestTimes.instant("2026-01-01T00:15:00Z")
        #expect(Timestamp.format(quarter.nextTick(after: onTick)) == "2026-01-01T00:30:00Z")
        #expect(quarter.latestTick(atOrBefore: onTick) == onTick)
        #expect(quarter.latestTick(atOrBefore: onTick.addingTimeInterval(-0.5)) == (try ScheduleTestTimes.instant("2026-01-01T00:00:00Z")))
        // 7 s does not divide a minute: ticks still count from 1970.
        let seven = try ScheduleSpec(every: "7")
        #expect(seven.nextTick(after: Date(timeIntervalSince1970: 100)) == Date(timeIntervalSince1970: 105))
        #expect(seven.latestTick(atOrBefore: Date(timeIntervalSince1970: 100.9)) == Date(timeIntervalSince1970: 98))
        #expect(try ScheduleSpec(every: "1d").nextTick(after: try ScheduleTestTimes.instant("2026-03-29T12:00:00Z"))
            == (try ScheduleTestTimes.instant("2026-03-30T00:00:00Z")))
    }

    struct BadInterval: Sendable, CustomTestStringConvertible {
        let text: String
        let message: String
        var testDescription: String { "'\(text)'" }
    }

    static let badIntervals: [BadInterval] = [
        .init(text: "0", message: "--every must be at least 1s, got 0s"),
        .init(text: "500ms", message: "--every takes whole seconds, got 500ms (0.5 s); e.g. 1s"),
        .init(text: "1.5", message: "--every takes whole seconds, got 1.5 (1.5 s); e.g. 2s"),
        .init(text: "367d", message: "--every is out of range: 367d is more than 31622400 seconds; give 0 to 31622400 seconds"),
        .init(text: "-1m", message: "--every is out of range: -1m is negative; give 0 to 31622400 seconds"),
        .init(text: "often", message: "--every takes \(DurationValue.forms), got 'often'"),
    ]

    @Test("a bad --every is a usage error", arguments: badIntervals)
    func badEvery(example: BadInterval) {
        #expect(throws: QueueError.invalidInput(example.message)) { try ScheduleSpec(every: example.text) }
    }
}
