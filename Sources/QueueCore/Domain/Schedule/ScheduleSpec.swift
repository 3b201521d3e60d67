import Foundation

/// When a schedule fires: a cron expression read in an IANA time zone, or a fixed interval whose ticks
/// fall on whole multiples of it since the Unix epoch (`--every 15m` fires at :00, :15, :30 and :45 UTC,
/// whenever the schedule was added, so every host computes the same ticks). Ticks are instants in whole
/// seconds; the zone only matters for cron.
public struct ScheduleSpec: Sendable, Equatable {
    /// What decides the ticks.
    public enum Rule: Sendable, Equatable {
        /// The minutes a cron expression matches on the zone's wall clock.
        case cron(CronExpression)
        /// Every `seconds` (at least 1) since 1970-01-01T00:00:00Z.
        case every(seconds: Int64)
    }

    /// What decides the ticks.
    public let rule: Rule
    let zone: WallClockZone

    /// The longest `--every` accepted: a year.
    public static let longestInterval: Double = 366 * 86_400

    /// A cron schedule: `expression` (five fields or a macro) in the zone named `timeZone`. A bad
    /// expression or an unknown zone is a usage error.
    public init(cron expression: String, timeZone: String = "UTC") throws(QueueError) {
        let cron = try CronExpression(parsing: expression)
        zone = try WallClockZone(identifier: timeZone)
        rule = .cron(cron)
    }

    /// An interval schedule from the text of `--every` (`90`, `30s`, `15m`, `2h`, `1d`): whole seconds,
    /// from 1 s to a year. `timeZone` is kept for display; it does not move the ticks. Messages call the
    /// interval `option` (the API's body says `'every'`).
    public init(every text: String, timeZone: String = "UTC", option: String = "--every") throws(QueueError) {
        let duration = try DurationValue(parsing: text, option: option, maximum: Self.longestInterval, wholeSeconds: true)
        try self.init(everySeconds: Int64(duration.seconds), timeZone: timeZone, option: option)
    }

    /// An interval schedule of `seconds` (as a store keeps it); messages call the interval `option`.
    public init(everySeconds seconds: Int64, timeZone: String = "UTC", option: String = "--every") throws(QueueError) {
        guard seconds >= 1 else { throw .invalidInput("\(option) must be at least 1s, got \(seconds)s") }
        zone = try WallClockZone(identifier: timeZone)
        rule = .every(seconds: seconds)
    }

    /// The zone's IANA name, as given.
    public var timeZoneIdentifier: String { zone.identifier }

    /// The cron expression as written, or nil for an interval.
    public var cronExpression: String? {
        if case .cron(let expression) = rule { return expression.source }
        return nil
    }

    /// The interval in seconds, or nil for cron.
    public var everySeconds: Int64? {
        if case .every(let seconds) = rule { return seconds }
        return nil
    }

    /// How far ahead or back the zone's offsets are looked at around a search's start: more than a day,
    /// so a change near it is seen whichever way the clocks move.
    private static let offsetWindow: Int64 = 26 * 3_600

    /// The first tick strictly after `instant`. (`Date.distantFuture` only if a validated expression
    /// could not fire within 400 years, which the calendar rules out.)
    public func nextTick(after instant: Date) -> Date {
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down))
        switch rule {
        case .every(let interval):
            return Date(timeIntervalSince1970: Double((WallClockTime.floorDivide(seconds, interval) + 1) * interval))
        case .cron(let expression):
            // No wall-clock time earlier than this reading (under the smallest offset about to apply) can stand
            // for an instant after `instant`; the zone maps later readings to instants in order, so the
            // first that lands after `instant` is the answer.
            let smallestOffset = zone.offsets(from: seconds, through: seconds + Self.offsetWindow).min() ?? 0
            var candidate = WallClockTime(wallSeconds: seconds + smallestOffset)
            while let match = expression.firstMatch(atOrAfter: candidate) {
                let tick = zone.instant(ofWallSeconds: match.wallSeconds)
                if Double(tick) > instant.timeIntervalSince1970 { return Date(timeIntervalSince1970: Double(tick)) }
                candidate = WallClockTime(wallSeconds: match.wallSeconds + 60)
            }
            return .distantFuture
        }
    }

    /// The last tick at or before `instant`, or nil when there is none (an interval's ticks start at the
    /// epoch; a cron search looks 400 years back).
    public func latestTick(atOrBefore instant: Date) -> Date? {
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down))
        switch rule {
        case .every(let interval):
            guard seconds >= 0 else { return nil }
            return Date(timeIntervalSince1970: Double(WallClockTime.floorDivide(seconds, interval) * interval))
        case .cron(let expression):
            // Mirror of `nextTick`: after clocks were set back, a reading later than now's may stand for an
            // instant already past (its first occurrence), so the search starts under the largest recent offset.
            let largestOffset = zone.offsets(from: seconds - Self.offsetWindow, through: seconds).max() ?? 0
            var candidate = WallClockTime(wallSeconds: seconds + largestOffset)
            while let match = expression.lastMatch(atOrBefore: candidate) {
                let tick = zone.instant(ofWallSeconds: match.wallSeconds)
                if Double(tick) <= instant.timeIntervalSince1970 { return Date(timeIntervalSince1970: Double(tick)) }
                candidate = WallClockTime(wallSeconds: match.wallSeconds - 60)
            }
            return nil
        }
    }
}
