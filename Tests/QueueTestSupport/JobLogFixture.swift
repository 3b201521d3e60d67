import Foundation
import QueueCore

/// Leaves `text` as the output of job `id`, where a worker's run would have put it: the job's log file in
/// `home` and, when the store keeps logs (`JobLogStore`), the store.
public func writeJobLog(_ text: String, of id: JobID, store: any JobStore, home: QueueHome) async throws {
    let path = home.logFile(for: id)
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    if let logs = store as? any JobLogStore { try await logs.appendLog(Array(text.utf8), to: id) }
}
