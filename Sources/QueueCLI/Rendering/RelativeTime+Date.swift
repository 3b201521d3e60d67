import Foundation
import QueueFormatting

extension RelativeTime {
    /// `date` relative to `now`, in the largest whole unit (s, m, h, d): `3s ago`, `in 2m`, `now`.
    static func describe(_ date: Date, now: Date) -> String {
        describe(secondsFromNow: date.timeIntervalSince(now))
    }
}
