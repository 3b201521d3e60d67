import Foundation
import QueueCore
import Testing

/// ISO-8601 rendering and parsing of instants.
@Suite("Timestamps")
struct TimestampTests {
    @Test("whole seconds render without a fraction and milliseconds with three digits", arguments: [
        (1_800_000_000.0, "2027-01-15T08:00:00Z"), (1_800_000_000.123, "2027-01-15T08:00:00.123Z"),
        (1_800_000_000.5, "2027-01-15T08:00:00.500Z"), (0.0, "1970-01-01T00:00:00Z"),
        (-1.5, "1969-12-31T23:59:58.500Z"), (253_402_300_800.0, "10000-01-01T00:00:00Z"),
        (1_767_225_599.009, "2025-12-31T23:59:59.009Z"), (1_767_225_600.09, "2026-01-01T00:00:00.090Z"),
    ])
    func format(seconds: Double, text: String) {
        #expect(Timestamp.format(Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test("formatted instants parse back to the same millisecond")
    func roundTrip() throws {
        for millis: Int64 in [0, 1, 999, 1_800_000_000_000, 1_800_000_000_123, 4_102_444_800_007] {
            let date = Timestamp.date(milliseconds: millis)
            let parsed = try #require(Timestamp.parse(Timestamp.format(date)))
            #expect(Timestamp.milliseconds(parsed) == millis)
        }
    }

    @Test("offsets and fractions are understood, and garbage is not", arguments: [
        ("2026-11-23T10:30:00Z", Optional(1_795_429_800_000 as Int64)),
        ("2026-11-23T12:30:00+02:00", 1_795_429_800_000), ("2026-11-23T10:30:00.250Z", 1_795_429_800_250),
        (" 2026-11-23T10:30:00Z ", 1_795_429_800_000), ("tomorrow", nil), ("2026-13-45T10:30:00Z", nil), ("", nil),
    ])
    func parse(text: String, millis: Int64?) {
        #expect(Timestamp.parse(text).map(Timestamp.milliseconds) == millis)
    }

    @Test("lowercase t and z, offsets and up to nine fraction digits are understood", arguments: [
        ("2026-11-23t10:30:00z", 1_795_429_800_000 as Int64), ("2026-11-23T00:30:00-10:00", 1_795_429_800_000),
        ("2026-11-23T10:30:00.123456789Z", 1_795_429_800_123), ("9999-12-31T23:59:59Z", 253_402_300_799_000),
        ("2028-02-29T00:00:00Z", 1_835_395_200_000), ("1970-01-01T00:00:00Z", 0),
    ])
    func accepted(text: String, millis: Int64) {
        #expect(Timestamp.parse(text).map(Timestamp.milliseconds) == millis)
    }

    @Test("impossible times are refused, saying which field is wrong, instead of rolling over", arguments: [
        ("2026-02-30T00:00:00Z", "February 2026 has 28 days"), ("2027-02-29T00:00:00Z", "February 2027 has 28 days"),
        ("2026-04-31T00:00:00Z", "April 2026 has 30 days"), ("2026-01-00T00:00:00Z", "January 2026 has 31 days"),
        ("2026-13-01T00:00:00Z", "there is no month 13"), ("2026-00-01T00:00:00Z", "there is no month 0"),
        ("2026-03-01T25:00:00Z", "the hour must be from 00 to 23"), ("2026-03-01T24:00:00Z", "the hour must be from 00 to 23"),
        ("2026-03-01T10:60:00Z", "the minute must be from 00 to 59"),
        ("2026-03-01T10:00:60Z", "the second must be from 00 to 59"),
        ("0000-01-01T00:00:00Z", "the year must be from 1970 to 9999"),
        ("1969-12-31T23:59:59Z", "the year must be from 1970 to 9999"),
        ("2026-03-01T10:00:00+24:00", "the offset must be from -23:59 to +23:59"),
    ])
    func impossible(text: String, reason: String) {
        #expect(Timestamp.check(text) == .failure(.impossible(reason)))
        #expect(Timestamp.parse(text) == nil)
    }

    @Test("anything but the one shape is malformed", arguments: [
        "2026-11-23", "2026-11-23T10:30Z", "2026-11-23T10:30:00", "2026-11-23 10:30:00Z", "2026-11-23T10:30:00+0200",
        "+2026-11-23T10:30:00Z", "2026-11-23T10:30:00.Z", "2026-11-23T10:30:00.1234567890Z", "2026-1-23T10:30:00Z",
        "2026-11-23T10:30:00ZZ", "２０２６-11-23T10:30:00Z",
    ])
    func malformed(text: String) {
        #expect(Timestamp.check(text) == .failure(.malformed))
    }
}
