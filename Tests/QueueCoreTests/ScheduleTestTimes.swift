import Foundation
import QueueCore

/// Fixed instants for the schedule tests, written as the contract writes them (`2026-03-29T01:00:00Z`).
enum ScheduleTestTimes {
    /// The instant `text` names; a malformed literal fails the test that uses it.
    static func instant(_ text: String) throws -> Date {
        try Timestamp.check(text).get()
    }

    /// The first `count` ticks of `spec` after `start`, each as UTC text.
    static func ticks(of spec: ScheduleSpec, after start: String, count: Int) throws -> [String] {
        var cursor = try instant(start)
        var found: [String] = []
        for _ in 0..<count {
            cursor = spec.nextTick(after: cursor)
            found.append(Timestamp.format(cursor))
        }
        return found
    }
}
