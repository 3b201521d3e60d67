/// A minute as a clock on the wall shows it: a date and a time of day with no zone attached. Cron
/// expressions are matched against these; `WallClockZone` turns them into instants. Counting is done
/// here (proleptic Gregorian calendar) rather than with Foundation's `Calendar`, because a schedule's
/// search steps through many candidate days and hours and needs only this much of a calendar.
struct WallClockTime: Equatable, Sendable {
    /// The year (proleptic Gregorian).
    var year: Int
    /// 1–12.
    var month: Int
    /// 1–31.
    var day: Int
    /// 0–23.
    var hour: Int
    /// 0–59.
    var minute: Int

    /// The minute with these fields (not checked: the search builds only real dates or steps past a month's end).
    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// The minute that contains `seconds`, counted as if the wall clock were UTC (seconds since
    /// 1970-01-01T00:00 on the wall).
    init(wallSeconds seconds: Int64) {
        let days = Self.floorDivide(seconds, 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        // Howard Hinnant's `civil_from_days`.
        let shifted = days + 719_468
        let era = Self.floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        hour = secondOfDay / 3_600
        minute = secondOfDay % 3_600 / 60
    }

    /// Seconds since 1970-01-01T00:00 on the wall (the inverse of `init(wallSeconds:)`).
    var wallSeconds: Int64 {
        Self.daysSinceEpoch(year: year, month: month, day: day) * 86_400 + Int64(hour * 3_600 + minute * 60)
    }

    /// 0 for Sunday through 6 for Saturday, as cron numbers the days of the week.
    var dayOfWeek: Int {
        // 1970-01-01 was a Thursday.
        Int(Self.floorModulo(Self.daysSinceEpoch(year: year, month: month, day: day) + 4, 7))
    }

    /// How many days `month` of `year` has.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Whether February of `year` has 29 days.
    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Days from 1970-01-01 to the date (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let marchYear = Int64(month <= 2 ? year - 1 : year)
        let era = floorDivide(marchYear, 400)
        let yearOfEra = marchYear - era * 400
        let dayOfYear = (153 * Int64(month > 2 ? month - 3 : month + 9) + 2) / 5 + Int64(day) - 1
        return era * 146_097 + yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear - 719_468
    }

    /// `value / divisor` rounded down (Swift's `/` rounds toward zero), for instants before 1970.
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    /// The remainder of `floorDivide`, never negative for a positive divisor.
    static func floorModulo(_ value: Int64, _ divisor: Int64) -> Int64 {
        value - floorDivide(value, divisor) * divisor
    }
}
