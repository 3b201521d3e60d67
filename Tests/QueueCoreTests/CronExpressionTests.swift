import Foundation
import QueueCore
import Testing

/// `--cron`: every form of the five fields and the macros, read by the ticks they produce (in UTC), and
/// every mistake with the one line a user sees.
@Suite("Cron expressions")
struct CronExpressionTests {
    struct Example: Sendable, CustomTestStringConvertible {
        let expression: String
        let after: String
        let ticks: [String]
        var testDescription: String { "'\(expression)'" }
    }

    /// 2026-01-01 is a Thursday.
    static let newYear = "2026-01-01T00:00:00Z"

    static let forms: [Example] = [
        .init(expression: "* * * * *", after: newYear, ticks: ["2026-01-01T00:01:00Z", "2026-01-01T00:02:00Z"]),
        .init(expression: "*/15 * * * *", after: newYear,
              ticks: ["2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:45:00Z", "2026-01-01T01:00:00Z"]),
        .init(expression: "5,10-12 * * * *", after: newYear,
              ticks: ["2026-01-01T00:05:00Z", "2026-01-01T00:10:00Z", "2026-01-01T00:11:00Z", "2026-01-01T00:12:00Z",
                      "2026-01-01T01:05:00Z"]),
        .init(expression: "1-30/10 * * * *", after: newYear,
              ticks: ["2026-01-01T00:01:00Z", "2026-01-01T00:11:00Z", "2026-01-01T00:21:00Z", "2026-01-01T01:01:00Z"]),
        .init(expression: "10/20 * * * *", after: newYear,
              ticks: ["2026-01-01T00:10:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:50:00Z", "2026-01-01T01:10:00Z"]),
        .init(expression: "0 9-17/4 * * *", after: newYear,
              ticks: ["2026-01-01T09:00:00Z", "2026-01-01T13:00:00Z", "2026-01-01T17:00:00Z", "2026-01-02T09:00:00Z"]),
        .init(expression: "0 0 1 feb-Apr/2 *", after: newYear,
              ticks: ["2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z", "2027-02-01T00:00:00Z"]),
        .init(expression: "0 0 1 JAN,jul *", after: newYear, ticks: ["2026-07-01T00:00:00Z", "2027-01-01T00:00:00Z"]),
        .init(expression: "0 12 * * MON-FRI", after: newYear,
              ticks: ["2026-01-01T12:00:00Z", "2026-01-02T12:00:00Z", "2026-01-05T12:00:00Z"]),
        .init(expression: "0 0 * * 0", after: newYear, ticks: ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"]),
        .init(expression: "0 0 * * 7", after: newYear, ticks: ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"]),
        .init(expression: "0 0 * * sun", after: newYear, ticks: ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"]),
        .init(expression: "0 0 * * FRI-SUN", after: newYear,
              ticks: ["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z", "2026-01-09T00:00:00Z"]),
        .init(expression: "0 0 * * 5-7", after: newYear,
              ticks: ["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z", "2026-01-09T00:00:00Z"]),
        .init(expression: "30 6 * * 1,3,5", after: newYear,
              ticks: ["2026-01-02T06:30:00Z", "2026-01-05T06:30:00Z", "2026-01-07T06:30:00Z"]),
        .init(expression: "  0\t0  * * *  ", after: newYear, ticks: ["2026-01-02T00:00:00Z"]),
        .init(expression: "0 0\n* * *\n", after: newYear, ticks: ["2026-01-02T00:00:00Z"]),
    ]

    @Test("fields with *, lists, ranges, steps and names fire at the minutes they name", arguments: forms)
    func fieldForms(example: Example) throws {
        let spec = try ScheduleSpec(cron: example.expression)
        #expect(try ScheduleTestTimes.ticks(of: spec, after: example.after, count: example.ticks.count) == example.ticks)
    }

    static let macros: [Example] = [
        .init(expression: "@hourly", after: newYear, ticks: ["2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z"]),
        .init(expression: "@daily", after: newYear, ticks: ["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"]),
        .init(expression: "@midnight", after: newYear, ticks: ["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"]),
        .init(expression: "@weekly", after: newYear, ticks: ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"]),
        .init(expression: "@monthly", after: newYear, ticks: ["2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"]),
        .init(expression: "@yearly", after: newYear, ticks: ["2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"]),
        .init(expression: "@annually", after: newYear, ticks: ["2027-01-01T00:00:00Z"]),
        .init(expression: "@Daily", after: newYear, ticks: ["2026-01-02T00:00:00Z"]),
    ]

    @Test("macros stand for their five fields, in any case", arguments: macros)
    func macroForms(example: Example) throws {
        let spec = try ScheduleSpec(cron: example.expression)
        #expect(try ScheduleTestTimes.ticks(of: spec, after: example.after, count: example.ticks.count) == example.ticks)
        #expect(spec.cronExpression == example.expression)
    }

    static let calendar: [Example] = [
        // Across the end of a year, and the last minute of it.
        .init(expression: "59 23 31 12 *", after: "2026-12-31T23:59:00Z",
              ticks: ["2027-12-31T23:59:00Z", "2028-12-31T23:59:00Z"]),
        .init(expression: "0 0 1 * *", after: "2026-12-15T00:00:00Z",
              ticks: ["2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z"]),
        // The 31st skips the months that have none.
        .init(expression: "0 0 31 * *", after: newYear,
              ticks: ["2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z"]),
        // Leap days: 2100 is not a leap year.
        .init(expression: "0 0 29 2 *", after: newYear, ticks: ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"]),
        .init(expression: "0 0 29 2 *", after: "2096-03-01T00:00:00Z", ticks: ["2104-02-29T00:00:00Z"]),
        // Both day fields restricted: either may match (Fridays and the 13th).
        .init(expression: "0 0 13 * FRI", after: newYear,
              ticks: ["2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z", "2026-01-13T00:00:00Z", "2026-01-16T00:00:00Z"]),
        // A 31st that February lacks still fires on the weekdays.
        .init(expression: "0 0 31 2 MON", after: newYear, ticks: ["2026-02-02T00:00:00Z", "2026-02-09T00:00:00Z"]),
        // Day-of-month written with `*`: both must match (Vixie cron), so odd days that are Mondays.
        .init(expression: "0 0 */2 * MON", after: newYear,
              ticks: ["2026-01-05T00:00:00Z", "2026-01-19T00:00:00Z", "2026-02-09T00:00:00Z"]),
    ]

    @Test("ticks cross month and year ends, leap years and the day-of-month/day-of-week rule", arguments: calendar)
    func calendarRules(example: Example) throws {
        let spec = try ScheduleSpec(cron: example.expression)
        #expect(try ScheduleTestTimes.ticks(of: spec, after: example.after, count: example.ticks.count) == example.ticks)
    }

    struct Mistake: Sendable, CustomTestStringConvertible {
        let expression: String
        let reason: String
        var testDescription: String { "'\(expression)'" }
    }

    static let fields = "expected 5 fields (minute hour day-of-month month day-of-week)"

    static let mistakes: [Mistake] = [
        .init(expression: "61 * * * *", reason: "minute 61 is out of range 0-59"),
        .init(expression: "* 24 * * *", reason: "hour 24 is out of range 0-23"),
        .init(expression: "* * 0 * *", reason: "day-of-month 0 is out of range 1-31"),
        .init(expression: "* * 32 * *", reason: "day-of-month 32 is out of range 1-31"),
        .init(expression: "* * * 13 *", reason: "month 13 is out of range 1-12"),
        .init(expression: "* * * * 8", reason: "day-of-week 8 is out of range 0-7"),
        .init(expression: "99999999999999999999 * * * *", reason: "minute 99999999999999999999 is out of range 0-59"),
        .init(expression: "* * * FOO *", reason: "unknown month name FOO; use JAN-DEC or numbers"),
        .init(expression: "* * * * funday", reason: "unknown day name FUNDAY; use SUN-SAT or numbers"),
        .init(expression: "mon * * * *", reason: "minute 'mon' is not a number in 0-59"),
        .init(expression: "* * * * 1.5", reason: "day-of-week '1.5' is not a number in 0-7"),
        .init(expression: "* * * *", reason: "\(fields), got 4"),
        .init(expression: "0 0 * * * 2026", reason: "\(fields), got 6"),
        .init(expression: "", reason: "\(fields), got 0"),
        .init(expression: "@reboot", reason: "unknown macro @reboot; use @hourly, @daily, @weekly, @monthly or @yearly, or five fields"),
        .init(expression: "*/0 * * * *", reason: "minute step 0 is out of range 1-60"),
        .init(expression: "* */25 * * *", reason: "hour step 25 is out of range 1-24"),
        .init(expression: "*/x * * * *", reason: "minute step 'x' is not a number in 1-60"),
        .init(expression: "*/ * * * *", reason: "minute step is missing after '/'"),
        .init(expression: "*/5/2 * * * *", reason: "minute '*/5/2' has more than one step"),
        .init(expression: "1,,2 * * * *", reason: "minute list '1,,2' has an empty item"),
        .init(expression: "30-10 * * * *", reason: "minute range 30-10 runs backwards; write it as two ranges"),
        .init(expression: "* * * * SAT-MON", reason: "day-of-week range SAT-MON runs backwards; write it as two ranges"),
        .init(expression: "1-2-3 * * * *", reason: "minute range '1-2-3' has more than two ends"),
        .init(expression: "-5 * * * *", reason: "minute '-5' is missing a number"),
        .init(expression: "0 0 31 2 *", reason: "it never fires: day-of-month 31 does not occur in FEB"),
        .init(expression: "0 0 30,31 feb *", reason: "it never fires: day-of-month 30,31 does not occur in FEB"),
        .init(expression: "0 0 31 4,6,9,11 *", reason: "it never fires: day-of-month 31 does not occur in APR,JUN,SEP,NOV"),
    ]

    @Test("a bad expression is a usage error that quotes it and names what is wrong", arguments: mistakes)
    func refuses(mistake: Mistake) {
        let expected = QueueError.invalidInput("cron expression '\(mistake.expression)': \(mistake.reason)")
        #expect(throws: expected) { try CronExpression(parsing: mistake.expression) }
        #expect(expected.exitCode == 2)
    }

    @Test("the 29th of February is a valid date, the 30th is not")
    func leapDayIsValid() throws {
        _ = try CronExpression(parsing: "0 0 29 2 *")
        #expect(throws: QueueError.invalidInput("cron expression '0 0 30 2 *': it never fires: day-of-month 30 does not occur in FEB")) {
            try CronExpression(parsing: "0 0 30 2 *")
        }
    }
}
