/// One of the five fields of a cron expression, in the order they are written: what values it
/// takes, which names stand for values, and how its text is read.
enum CronField: Int, CaseIterable, Sendable {
    case minute, hour, dayOfMonth, month, dayOfWeek

    /// Why a field's text was refused: one phrase naming the field and what is wrong.
    struct Rejection: Error, Equatable {
        let reason: String
    }

    /// How messages and docs name the field.
    var label: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// The numbers a user may write (day-of-week takes 7 as well as 0 for Sunday).
    var writable: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// The values `*` stands for, and where an open step such as `10/15` ends.
    var full: ClosedRange<Int> {
        self == .dayOfWeek ? 0...6 : writable
    }

    /// Three-letter names and the first value they stand for (`JAN` is 1, `SUN` is 0).
    private var names: (kind: String, list: [String], first: Int)? {
        switch self {
        case .month: ("month", ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1)
        case .dayOfWeek: ("day", ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], 0)
        default: nil
        }
    }

    /// The name of `value` in this field (`FEB`), or the number when the field has no names.
    func name(of value: Int) -> String {
        guard let names, names.list.indices.contains(value - names.first) else { return String(value) }
        return names.list[value - names.first]
    }

    /// Reads the field's text: a comma-separated list of items, each `*`, a value or a range
    /// `A-B`, optionally with a step `/N` (`*/15`, `1-30/5`; `10/15` counts from 10 to the field's
    /// end). Names are read in any case. Day-of-week 7 becomes 0 (both are Sunday).
    func parse(_ text: Substring) throws(Rejection) -> CronValueSet {
        var allowed = CronValueSet()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw Rejection(reason: "\(label) list '\(text)' has an empty item") }
            allowed.formUnion(try parse(item: item))
        }
        if self == .dayOfWeek, allowed.contains(7) {
            allowed.remove(7)
            allowed.insert(0)
        }
        return allowed
    }

    private func parse(item: Substring) throws(Rejection) -> CronValueSet {
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw Rejection(reason: "\(label) '\(item)' has more than one step") }
        var range: ClosedRange<Int>
        if parts[0] == "*" {
            range = full
        } else {
            let ends = parts[0].split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count <= 2 else { throw Rejection(reason: "\(label) range '\(parts[0])' has more than two ends") }
            guard !ends.contains(where: \.isEmpty) else { throw Rejection(reason: "\(label) '\(item)' is missing a number") }
            let low = try value(ends[0])
            if ends.count == 2 {
                var high = try value(ends[1])
                // `FRI-SUN` means Friday to Sunday: Sunday as the end of a range is day 7.
                if self == .dayOfWeek, high == 0, low > 0 { high = 7 }
                guard low <= high else {
                    throw Rejection(reason: "\(label) range \(parts[0]) runs backwards; write it as two ranges")
                }
                range = low...high
            } else {
                range = parts.count == 2 ? low...max(low, full.upperBound) : low...low
            }
        }
        let step = parts.count == 2 ? try self.step(parts[1]) : 1
        var values = CronValueSet()
        for value in stride(from: range.lowerBound, through: range.upperBound, by: step) { values.insert(value) }
        return values
    }

    private func value(_ text: Substring) throws(Rejection) -> Int {
        if let names, text.allSatisfy({ $0.isASCII && $0.isLetter }), !text.isEmpty {
            guard let index = names.list.firstIndex(of: text.uppercased()) else {
                throw Rejection(reason: "unknown \(names.kind) name \(text.uppercased()); use \(names.list.first ?? "")-\(names.list.last ?? "") or numbers")
            }
            return index + names.first
        }
        let range = "\(writable.lowerBound)-\(writable.upperBound)"
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw Rejection(reason: "\(label) '\(text)' is not a number in \(range)")
        }
        guard let number = Int(text), writable.contains(number) else {
            throw Rejection(reason: "\(label) \(text) is out of range \(range)")
        }
        return number
    }

    private func step(_ text: Substring) throws(Rejection) -> Int {
        let range = 1...full.count
        guard !text.isEmpty else { throw Rejection(reason: "\(label) step is missing after '/'") }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw Rejection(reason: "\(label) step '\(text)' is not a number in \(range.lowerBound)-\(range.upperBound)")
        }
        guard let number = Int(text), range.contains(number) else {
            throw Rejection(reason: "\(label) step \(text) is out of range \(range.lowerBound)-\(range.upperBound)")
        }
        return number
    }
}
