import Foundation

/// Human renderings of instants relative to now: `3s ago`, `in 2m`, `now`.
enum RelativeTime {
    /// `date` relative to `now`, in the largest whole unit (s, m, h, d).
    static func describe(_ date: Date, now: Date) -> String {
        let delta = date.timeIntervalSince(now)
        let magnitude = abs(delta)
        if magnitude < 1 { return "now" }
        let amount: String
        switch magnitude {
        case ..<60: amount = "\(Int(magnitude))s"
        case ..<3600: amount = "\(Int(magnitude / 60))m"
        case ..<86_400: amount = "\(Int(magnitude / 3600))h"
        default: amount = "\(Int(magnitude / 86_400))d"
        }
        return delta > 0 ? "in \(amount)" : "\(amount) ago"
    }
}
