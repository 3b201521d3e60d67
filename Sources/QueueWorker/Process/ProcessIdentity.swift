import Foundation

/// A process named so that a recycled pid is never mistaken for it: its pid plus its start time
/// (field 22 of `/proc/PID/stat`, in clock ticks since boot).
public struct ProcessIdentity: Sendable, Equatable, Hashable {
    /// The process id.
    public var pid: Int32
    /// Its start time in clock ticks since boot.
    public var startTime: Int64

    public init(pid: Int32, startTime: Int64) {
        self.pid = pid
        self.startTime = startTime
    }

    /// The calling process.
    public static var current: ProcessIdentity {
        let pid = getpid()
        return ProcessIdentity(pid: pid, startTime: ProcessIdentity.status(of: pid)?.startTime ?? 0)
    }

    /// The process that has the pid `pid` now (nil when there is none).
    public static func running(_ pid: Int32) -> ProcessIdentity? {
        status(of: pid).map { ProcessIdentity(pid: pid, startTime: $0.startTime) }
    }

    /// Whether this very process still runs: same start time, and not a zombie (a zombie answers
    /// `kill -0` until its parent reaps it, which takes a while for orphans here).
    public var isAlive: Bool {
        guard let status = ProcessIdentity.status(of: pid) else { return false }
        return status.startTime == startTime && status.state != "Z" && status.state != "X"
    }

    /// State letter and start time of `pid`, from `/proc/PID/stat`; nil when there is no such process.
    static func status(of pid: Int32) -> (state: Character, startTime: Int64)? {
        guard pid > 0, let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
        guard fields.count > 19, let state = fields[0].first, let start = Int64(fields[19]) else { return nil }
        return (state, start)
    }
}
