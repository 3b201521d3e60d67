import Foundation
import QueueCore
import Testing

/// ISO-8601 rendering and parsing of instants.
@Suite("Timestamps")
struct TimestampTests {
    @Test("whole seconds render without a fraction and milliseconds with three digits", arguments: [
        (1_800_000_000.0, "2027-01-15T08:00:00Z"), (1_800_000_000.123, "2027-01-15T08:00:00.123Z"),
        (1_800_000_000.5, "2027-01-15T08:00:00.500Z"), (0.0, "1970-01-01T00:00:00Z"),
        (-1.5, "1969-12-31T23:59:58.500Z"),
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
}
