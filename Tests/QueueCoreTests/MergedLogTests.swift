import Foundation
import QueueCore
import Testing

/// `JobLog.read` of a log whose runs are partly in its file and partly kept by the store as marks (`LogMark`).
@Suite("Merged job logs")
struct MergedLogTests {
    @Test("marks sit before the file's byte at their offset, in the order written, and every range reads that one stream")
    func mergedRanges() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("merged-log-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let home = QueueHome(root: root)
        try home.prepare()
        let id = JobID(trusted: "m")
        try "abcdef".write(toFile: home.logFile(for: id), atomically: true, encoding: .utf8)
        // A mark beyond the file's end (the file was cut) comes at its end.
        let marks = [(0, "<0>"), (3, "<3a>"), (3, "<3b>"), (6, "<6>"), (99, "<99>")]
            .map { LogMark(fileOffset: $0.0, bytes: Array($0.1.utf8)) }
        let whole = Array("<0>abc<3a><3b>def<6><99>".utf8)
        for offset in 0...(whole.count + 2) {
            let slice = try JobLog.readMerged(home.logFile(for: id), marks: marks, .from(offset), of: id)
            #expect(slice == LogSlice(bytes: Array(whole[min(offset, whole.count)...]), offset: min(offset, whole.count), size: whole.count))
        }
        for count in 0...(whole.count + 2) {
            let slice = try JobLog.readMerged(home.logFile(for: id), marks: marks, .tail(count), of: id)
            #expect(slice.bytes == Array(whole.suffix(count)) && slice.size == whole.count, "tail \(count)")
        }
        // Without a file, the marks are the whole log.
        let none = try JobLog.readMerged(home.logFile(for: JobID(trusted: "none")), marks: marks, .from(0), of: id)
        #expect(none.bytes == Array("<0><3a><3b><6><99>".utf8))
    }
}
