/// Human renderings of instants relative to now: `3s ago`, `in 2m`, `now`.
public enum RelativeTime {
    /// An instant `seconds` from now (negative: in the past), in the largest whole unit (s, m, h, d).
    public static func describe(secondsFromNow seconds: Double) -> String {
        let magnitude = abs(seconds)
        if magnitude < 1 { return "now" }
        let amount: String
        switch magnitude {
        case ..<60: amount = String(Int(magnitude)) + "s"
        case ..<3600: amount = String(Int(magnitude / 60)) + "m"
        case ..<86_400: amount = String(Int(magnitude / 3600)) + "h"
        default: amount = String(Int(magnitude / 86_400)) + "d"
        }
        return seconds > 0 ? "in " + amount : amount + " ago"
    }
}
