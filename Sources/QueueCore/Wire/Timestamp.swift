import Foundation
import QueueFormatting

/// ISO-8601 UTC rendering and parsing of instants, as the contract's JSON uses them.
/// Stores keep instants as whole milliseconds since the epoch, so a value round-trips exactly.
public enum Timestamp {
    /// Renders `date` as `2026-11-23T10:30:00Z`, adding `.mmm` only when the instant has milliseconds,
    /// so a `run_at` the user gave in whole seconds is echoed back as written.
    public static func format(_ date: Date) -> String {
        ISOTimestamp.format(milliseconds: milliseconds(date))
    }

    /// Parses an ISO-8601 date-time with a `Z` or `±hh:mm` offset and optional fractional seconds;
    /// nil for anything `check(_:)` refuses.
    public static func parse(_ text: String) -> Date? {
        try? check(text).get()
    }

    /// Why a text is not an acceptable time.
    public enum Rejection: Error, Equatable, CustomStringConvertible {
        /// Not of the form `2026-11-23T10:30:00Z` (or with `±hh:mm`, or fractional seconds).
        case malformed
        /// Of that form, but not a real time in the years 1970 to 9999; the text says which field is wrong.
        case impossible(String)

        public var description: String {
            switch self {
            case .malformed: "expected an ISO-8601 time like 2026-11-23T10:30:00Z"
            case .impossible(let reason): reason
            }
        }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm)` strictly (`T` and `Z` in either case, spaces
    /// around it ignored): every field must be in range, so `2026-02-30` or `T25:00` are refused instead
    /// of rolling over into the next month or day (Foundation's parser is lenient), and the year must be
    /// from 1970 to 9999.
    public static func check(_ text: String) -> Result<Date, Rejection> {
        let bytes = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var position = 0
        func digits(_ count: Int) -> Int? {
            guard position + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[position..<position + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            position += count
            return value
        }
        func literal(_ characters: String) -> Bool {
            guard position < bytes.count, characters.utf8.contains(bytes[position]) else { return false }
            position += 1
            return true
        }
        guard let year = digits(4), literal("-"), let month = digits(2), literal("-"), let day = digits(2),
            literal("Tt"), let hour = digits(2), literal(":"), let minute = digits(2), literal(":"),
            let second = digits(2)
        else { return .failure(.malformed) }
        var fraction = 0.0
        if literal(".") {
            let start = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                position += 1
            }
            guard (1...9).contains(position - start),
                let value = Double("0." + String(decoding: bytes[start..<position], as: UTF8.self))
            else { return .failure(.malformed) }
            fraction = value
        }
        var offsetMinutes = 0
        if !literal("Zz") {
            let negative = position < bytes.count && bytes[position] == UInt8(ascii: "-")
            guard literal("+-"), let hours = digits(2), literal(":"), let minutes = digits(2) else {
                return .failure(.malformed)
            }
            guard hours <= 23, minutes <= 59 else {
                return .failure(.impossible("the offset must be from -23:59 to +23:59"))
            }
            offsetMinutes = (negative ? -1 : 1) * (hours * 60 + minutes)
        }
        guard position == bytes.count else { return .failure(.malformed) }

        guard (1970...9999).contains(year) else { return .failure(.impossible("the year must be from 1970 to 9999")) }
        guard (1...12).contains(month) else { return .failure(.impossible("there is no month \(month)")) }
        let length = WallClockTime.daysIn(month: month, year: year)
        guard (1...length).contains(day) else {
            return .failure(.impossible("\(monthNames[month - 1]) \(year) has \(length) days"))
        }
        guard hour <= 23 else { return .failure(.impossible("the hour must be from 00 to 23")) }
        guard minute <= 59 else { return .failure(.impossible("the minute must be from 00 to 59")) }
        guard second <= 59 else { return .failure(.impossible("the second must be from 00 to 59")) }
        let days = WallClockTime.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        return .success(Date(timeIntervalSince1970: Double(seconds) + fraction))
    }

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// The instant as whole milliseconds since 1970 (the stores' representation).
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The instant `millis` milliseconds after 1970.
    public static func date(milliseconds millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }
}
