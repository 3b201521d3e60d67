import Foundation
import QueueCore
import QueueTestSupport
import Testing

@Suite("enqueue: input size cap")
struct EnqueueLimitTests {
    @Test("a batch over 64 MiB, from --file or stdin, is refused with one line, exit 2, and nothing is enqueued")
    func oversizedBatch() async throws {
        let cli = try await CLI(.sqlite)
        let before = try await cli.statusJSON()
        // One valid job, then blanks past the cap: parsed whole it would be accepted.
        let line = #"{"id":"big","command":"true"}"# + "\n"
        let path = cli.directory.file("big.jsonl")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(line.utf8)))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        let blanks = Data(repeating: UInt8(ascii: " "), count: 1 << 20)
        for _ in 0..<64 { try handle.write(contentsOf: blanks) }
        try handle.close()

        let fromFile = try await cli.run(["enqueue", "--file", path])
        fromFile.expectError(status: 2, mentioning: ["'\(path)'", "more than 64 MiB", "split it"])
        let fromStandardInput = try await cli.run(
            ["enqueue", "-"], stdin: line + String(repeating: " ", count: 64 << 20))
        fromStandardInput.expectError(status: 2, mentioning: ["stdin", "more than 64 MiB"])
        #expect(try await cli.statusJSON() == before)

        // Just under the cap is fine.
        #expect(truncate(path, off_t(60 << 20)) == 0)
        try await cli.run(["enqueue", "--file", path]).expectSuccess()
    }
}
