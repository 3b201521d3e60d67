extension ScheduleSpec {
    /// The spec as tables show it: the cron expression, with its zone unless UTC (`30 2 * * * Europe/Berlin`),
    /// or the interval in its largest whole unit (`every 15m`, `every 90s`).
    public var summary: String {
        switch rule {
        case .cron(let expression):
            return timeZoneIdentifier == "UTC" ? expression.source : "\(expression.source) \(timeZoneIdentifier)"
        case .every(let seconds):
            for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60)] where seconds % size == 0 {
                return "every \(seconds / size)\(unit)"
            }
            return "every \(seconds)s"
        }
    }
}
