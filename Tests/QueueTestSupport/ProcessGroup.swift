import Foundation

/// Whether any process of group `pgid` is still alive (zombies, which only wait to be reaped, aside): read
/// from `/proc`, since `kill(-pgid, 0)` also succeeds for a group of zombies.
public func processGroupIsAlive(_ pgid: Int32) -> Bool {
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
        guard let pid = Int32(entry), let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { continue }
        // The fields after the command name: state, ppid, pgrp, ...
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 2, let group = Int32(fields[2]) else { continue }
        if group == pgid, fields[0] != "Z", fields[0] != "X" { return true }
    }
    return false
}
