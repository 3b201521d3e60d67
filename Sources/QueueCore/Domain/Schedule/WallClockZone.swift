import Foundation

/// An IANA time zone as a schedule uses it: turns instants into wall-clock times and back, with the
/// rules for the hours a daylight-saving change skips or repeats. A wall-clock time the clocks skip
/// (02:30 on the spring-forward night in Europe/Berlin) stands for the first instant after it, the moment
/// of the change (03:00 local); one they show twice (02:30 on the fall-back night) stands for its first
/// occurrence only, so a schedule fires once.
///
/// Works in whole seconds since 1970 (`Int64`). The rules above assume a zone changes its offset at
/// most once within a day, which holds for every zone's daylight-saving rules.
struct WallClockZone: Sendable, Equatable {
    /// The zone, as Foundation knows it.
    let timeZone: TimeZone
    /// The name it was given by (Foundation calls `UTC` `GMT`; a user should see what they wrote).
    let identifier: String

    /// How far apart an instant and its wall-clock time can be, and a little more: offsets run from
    /// -12 h to +14 h.
    static let offsetSpan: Int64 = 15 * 3_600

    /// The zone named `identifier` (an IANA name such as `Europe/Berlin`, or `UTC`); an unknown name is
    /// a usage error. Foundation also reads offsets such as `GMT+1` (UTC+01:00), which IANA's `Etc/GMT+1`
    /// (UTC-01:00) reads the other way round: those are refused rather than guessed.
    init(identifier: String) throws(QueueError) {
        let isOffset = ["GMT+", "GMT-", "UTC+", "UTC-"].contains { identifier.uppercased().hasPrefix($0) }
        guard !identifier.isEmpty, !isOffset, let zone = TimeZone(identifier: identifier) else {
            throw .invalidInput(
                "unknown time zone '\(identifier.prefix(80))'; give an IANA name such as Europe/Berlin, America/New_York or UTC")
        }
        timeZone = zone
        self.identifier = identifier
    }

    /// The zone's offset from UTC at `instant`, in seconds.
    func offset(at instant: Int64) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))))
    }

    /// The wall-clock reading (in seconds, as if the wall were UTC) at `instant`.
    func wallSeconds(at instant: Int64) -> Int64 {
        instant + offset(at: instant)
    }

    /// The instants in `start...end` where the offset changes, in order.
    func changes(from start: Int64, through end: Int64) -> [Int64] {
        var found: [Int64] = []
        var cursor = Date(timeIntervalSince1970: Double(start - 1))
        while let change = timeZone.nextDaylightSavingTimeTransition(after: cursor) {
            let instant = Int64(change.timeIntervalSince1970.rounded())
            guard instant <= end, instant > Int64(cursor.timeIntervalSince1970.rounded(.down)) else { break }
            found.append(instant)
            cursor = change
        }
        return found
    }

    /// Every offset the zone has at some instant in `start...end`.
    func offsets(from start: Int64, through end: Int64) -> [Int64] {
        [offset(at: start)] + changes(from: start, through: end).map(offset(at:))
    }

    /// The instant a wall-clock reading stands for: the one instant that shows it; the first of two when
    /// clocks are set back; the moment of the change when clocks skip it.
    func instant(ofWallSeconds wall: Int64) -> Int64 {
        let shown = Set(offsets(from: wall - Self.offsetSpan, through: wall + Self.offsetSpan))
            .map { wall - $0 }
            .filter { wallSeconds(at: $0) == wall }
        if let first = shown.min() { return first }
        for change in changes(from: wall - Self.offsetSpan, through: wall + Self.offsetSpan) {
            let before = offset(at: change - 1)
            let after = offset(at: change)
            if change + before <= wall, wall < change + after { return change }
        }
        // Not reached for Foundation's zones: a reading no instant shows lies in a jump found above.
        return wall - offset(at: wall - offset(at: wall))
    }
}
