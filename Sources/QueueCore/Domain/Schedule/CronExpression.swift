import Foundation

/// A validated cron expression: the five standard fields (minute, hour, day-of-month, month,
/// day-of-week) or one of the macros `@hourly`, `@daily` (`@midnight`), `@weekly`, `@monthly`,
/// `@yearly` (`@annually`). It matches wall-clock minutes; `ScheduleSpec` places them in a time zone.
///
/// Days follow Vixie cron: when day-of-month and day-of-week are both restricted (neither field starts
/// with `*`), a day matches if either matches (`0 0 1 * MON` runs on the 1st and on every Monday);
/// otherwise both must match (so `0 0 */2 * MON` runs on odd days that are Mondays, as in Vixie cron).
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    /// The expression as written (trimmed).
    public let source: String
    /// The minutes the expression allows.
    let minutes: CronValueSet
    /// The hours it allows.
    let hours: CronValueSet
    /// The days of the month it allows.
    let daysOfMonth: CronValueSet
    /// The months it allows.
    let months: CronValueSet
    /// The days of the week it allows (Sunday as 0 only).
    let daysOfWeek: CronValueSet
    /// Whether both day fields are restricted, so that either may match (the OR rule).
    let eitherDayMatches: Bool

    /// The macros and the five fields each stands for.
    static let macros: [(name: String, fields: String)] = [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"), ("@weekly", "0 0 * * 0"),
        ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@hourly", "0 * * * *"),
    ]

    /// Parses and validates `text`. Every mistake is a usage error (exit 2) with one line that quotes
    /// the expression and names what is wrong: a field out of range, an unknown name, a wrong number
    /// of fields, an unknown macro, or an expression that can never fire (`0 0 31 2 *`).
    public init(parsing text: String) throws(QueueError) {
        // Any white space separates fields, a newline too, so no message quotes one (each is one line).
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        func refuse(_ reason: String) -> QueueError {
            .invalidInput("cron expression '\(trimmed.prefix(100))': \(reason)")
        }
        var body = trimmed
        if trimmed.hasPrefix("@") {
            guard let macro = Self.macros.first(where: { $0.name == trimmed.lowercased() }) else {
                throw refuse(
                    "unknown macro \(trimmed.prefix(40)); use @hourly, @daily, @weekly, @monthly or @yearly, or five fields")
            }
            body = macro.fields
        }
        let fields = body.split(whereSeparator: \.isWhitespace)
        guard fields.count == 5 else {
            throw refuse("expected 5 fields (minute hour day-of-month month day-of-week), got \(fields.count)")
        }
        var sets: [CronValueSet] = []
        for field in CronField.allCases {
            do {
                sets.append(try field.parse(fields[field.rawValue]))
            } catch {
                throw refuse(error.reason)
            }
        }
        source = trimmed
        (minutes, hours, daysOfMonth, months, daysOfWeek) = (sets[0], sets[1], sets[2], sets[3], sets[4])
        eitherDayMatches = !fields[2].hasPrefix("*") && !fields[4].hasPrefix("*")
        if let reason = neverFires() { throw refuse(reason) }
    }

    /// Why the expression can never fire, or nil when it can. Only a day-of-month that no chosen month
    /// has can make it so (`31` in `FEB,APR`): with the OR rule the weekdays still fire, and every date
    /// falls on every weekday in some year.
    private func neverFires() -> String? {
        guard !eitherDayMatches, let earliestDay = daysOfMonth.first(atOrAfter: 1) else { return nil }
        // February counts 29 days: a schedule for the 29th fires in leap years.
        let longestMonth = months.values.map { $0 == 2 ? 29 : WallClockTime.daysIn(month: $0, year: 2001) }.max() ?? 0
        guard earliestDay > longestMonth else { return nil }
        let days = daysOfMonth.values.map(String.init).joined(separator: ",")
        let monthNames = months.values.map(CronField.month.name(of:)).joined(separator: ",")
        return "it never fires: day-of-month \(days) does not occur in \(monthNames)"
    }

    /// Whether the expression's days allow this date.
    func matchesDay(year: Int, month: Int, day: Int) -> Bool {
        let byDate = daysOfMonth.contains(day)
        let byWeekday = daysOfWeek.contains(WallClockTime(year: year, month: month, day: day, hour: 0, minute: 0).dayOfWeek)
        return eitherDayMatches ? byDate || byWeekday : byDate && byWeekday
    }

    /// How many years a search looks ahead or back before giving up: the Gregorian calendar repeats every
    /// 400 years, so an expression that fires at all fires within that span.
    static let searchYears = 400

    /// The first matching minute at or after `start`, or nil past the search span (never for an
    /// expression that passed validation).
    func firstMatch(atOrAfter start: WallClockTime) -> WallClockTime? {
        var time = start
        let lastYear = start.year + Self.searchYears
        while time.year <= lastYear {
            guard let month = months.first(atOrAfter: time.month) else {
                time = WallClockTime(year: time.year + 1, month: 1, day: 1, hour: 0, minute: 0)
                continue
            }
            if month != time.month { time = WallClockTime(year: time.year, month: month, day: 1, hour: 0, minute: 0) }
            let length = WallClockTime.daysIn(month: time.month, year: time.year)
            while time.day <= length, !matchesDay(year: time.year, month: time.month, day: time.day) {
                (time.day, time.hour, time.minute) = (time.day + 1, 0, 0)
            }
            guard time.day <= length else {
                time = time.month == 12
                    ? WallClockTime(year: time.year + 1, month: 1, day: 1, hour: 0, minute: 0)
                    : WallClockTime(year: time.year, month: time.month + 1, day: 1, hour: 0, minute: 0)
                continue
            }
            guard let hour = hours.first(atOrAfter: time.hour) else {
                (time.day, time.hour, time.minute) = (time.day + 1, 0, 0)
                continue
            }
            if hour != time.hour { (time.hour, time.minute) = (hour, 0) }
            guard let minute = minutes.first(atOrAfter: time.minute) else {
                (time.hour, time.minute) = (time.hour + 1, 0)
                if time.hour > 23 { (time.day, time.hour) = (time.day + 1, 0) }
                continue
            }
            time.minute = minute
            return time
        }
        return nil
    }

    /// The last matching minute at or before `start`, or nil past the search span.
    func lastMatch(atOrBefore start: WallClockTime) -> WallClockTime? {
        var time = start
        let firstYear = start.year - Self.searchYears
        while time.year >= firstYear {
            guard let month = months.last(atOrBefore: time.month) else {
                time = WallClockTime(year: time.year - 1, month: 12, day: 31, hour: 23, minute: 59)
                continue
            }
            if month != time.month { time = WallClockTime(year: time.year, month: month, day: 31, hour: 23, minute: 59) }
            let length = WallClockTime.daysIn(month: time.month, year: time.year)
            if time.day > length { (time.day, time.hour, time.minute) = (length, 23, 59) }
            while time.day >= 1, !matchesDay(year: time.year, month: time.month, day: time.day) {
                (time.day, time.hour, time.minute) = (time.day - 1, 23, 59)
            }
            guard time.day >= 1 else {
                time = time.month == 1
                    ? WallClockTime(year: time.year - 1, month: 12, day: 31, hour: 23, minute: 59)
                    : WallClockTime(year: time.year, month: time.month - 1, day: 31, hour: 23, minute: 59)
                continue
            }
            guard let hour = hours.last(atOrBefore: time.hour) else {
                (time.day, time.hour, time.minute) = (time.day - 1, 23, 59)
                continue
            }
            if hour != time.hour { (time.hour, time.minute) = (hour, 59) }
            guard let minute = minutes.last(atOrBefore: time.minute) else {
                (time.hour, time.minute) = (time.hour - 1, 59)
                if time.hour < 0 { (time.day, time.hour) = (time.day - 1, 23) }
                continue
            }
            time.minute = minute
            return time
        }
        return nil
    }

    public var description: String { source }
}
