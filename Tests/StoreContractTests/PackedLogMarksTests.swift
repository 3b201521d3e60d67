import QueueCore
import Testing

@testable import QueueStoreSQLite

/// How a job's row keeps its silent runs' lines (`PackedLogMarks`): a silent run's mark by the parts its lines are
/// made from, in about 40% of the bytes, read back as the same lines; any other mark as its bytes.
@Suite("Packed log marks")
struct PackedLogMarksTests {
    /// A silent run's lines as a worker makes them: attempt 1 of a `true` job, 10 ms long.
    private let typical = SilentRunLines(
        attempt: 1, startedAt: 1_796_621_591_108, worker: "vm-11157-2elc-1", ending: "exited with code 0",
        endedAt: 1_796_621_591_118)

    @Test("a silent run's mark is kept in 61 bytes instead of its 153 and read back as the same lines")
    func compactSilentRun() throws {
        let mark = LogMark(fileOffset: 0, silentRun: typical)
        #expect(mark.bytes.count == 147)
        #expect(PackedLogMarks.pack(LogMark(fileOffset: 0, bytes: mark.bytes)).count == 153, "as text")
        #expect(String(decoding: mark.bytes, as: UTF8.self) == """
            --- attempt 1 · 2026-12-07T05:33:11.108Z · worker vm-11157-2elc-1 ---
            --- end of attempt 1 · exited with code 0 · 2026-12-07T05:33:11.118Z ---

            """)
        let packed = PackedLogMarks.pack(mark)
        #expect(String(decoding: packed, as: UTF8.self) == "r0 1 1796621591108 10 15 vm-11157-2elc-1 18 exited with code 0")
        let read = try #require(PackedLogMarks.unpack(packed))
        #expect(read == [mark])
        #expect(read.first?.bytes == mark.bytes)
    }

    @Test("marks of both kinds, with any worker name and ending, read back in the order they were written")
    func mixedEntries() throws {
        var odd = typical
        odd.worker = "wörker with spaces 7 "
        odd.ending = ""
        odd.attempt = 12
        var backwards = typical
        backwards.endedAt = typical.startedAt - 5
        let marks = [
            LogMark(fileOffset: 0, silentRun: typical),
            LogMark(fileOffset: 17, bytes: Array("--- attempt 2 · t · worker w ---\n--- end ---\n".utf8)),
            LogMark(fileOffset: 17, silentRun: odd),
            LogMark(fileOffset: 99, bytes: []),
            LogMark(fileOffset: 1_000_000, silentRun: backwards),
        ]
        let packed = marks.flatMap(PackedLogMarks.pack)
        let read = try #require(PackedLogMarks.unpack(packed))
        #expect(read == marks)
        #expect(read.map(\.bytes) == marks.map(\.bytes))
        // A clock that went back between start and end: kept as text, which says what the worker wrote.
        #expect(PackedLogMarks.pack(marks[4]).first == UInt8(ascii: "1"))
    }

    @Test("a damaged entry is not read as marks", arguments: [
        "r0 1 1796621591108 10 99 vm 18 exited with code 0", "r0 1 x 10 2 vm 0 ", "r0 1 5 10 2 vm", "r", "r0 1 5 10 2 vm 5 abc", "r0 1 5 10 2 vmX0 ",
        "0 5 abc",
    ])
    func damaged(text: String) {
        #expect(PackedLogMarks.unpack(Array(text.utf8)) == nil)
    }
}
