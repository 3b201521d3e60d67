import Foundation
import QueueCore

extension WorkerSupervisor {
    /// `workers/<pid>.pid`: a daemon's pid plus its process start time, so a recycled pid is never taken for
    /// a daemon.
    public static func pidFile(for pid: Int32, home: QueueHome) -> String {
        home.workersDirectory + "/\(pid).pid"
    }

    /// Writes the pid file of `process`.
    public static func writePidFile(_ process: ProcessIdentity, home: QueueHome) throws {
        try "\(process.pid) \(process.startTime)\n".write(
            toFile: pidFile(for: process.pid, home: home), atomically: true, encoding: .utf8)
    }

    /// The daemons of this data directory that still run (stale pid files are removed).
    public static func liveDaemons(home: QueueHome) -> [ProcessIdentity] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: home.workersDirectory) else { return [] }
        var result: [ProcessIdentity] = []
        for name in names where name.hasSuffix(".pid") {
            let path = home.workersDirectory + "/" + name
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let fields = text.split(whereSeparator: \.isWhitespace)
            guard fields.count == 2, let pid = Int32(fields[0]), let start = Int64(fields[1]) else { continue }
            let process = ProcessIdentity(pid: pid, startTime: start)
            if process.isAlive {
                result.append(process)
            } else {
                unlink(path)
            }
        }
        return result
    }
}
