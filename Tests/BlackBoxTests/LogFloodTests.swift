import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// A job that floods its log on a PostgreSQL store: the worker copies the output into the database in
/// bounded chunks (its memory under a flood is measured by `bench/log_flood.sh`, not here), and the copy is
/// whole, so another host prints exactly what the host that ran the job has in its log file.
@Suite("Output floods on PostgreSQL", .serialized, .enabled(if: TestBackend.all.contains(.postgres)))
struct LogFloodTests {
    @Test("a 20 MB flood reaches the stored log whole, byte for byte as the file that ran it", .timeLimit(.minutes(5)))
    func floodShippedWhole() async throws {
        try await TwoHosts.with { hosts in
            let bytes = 20_000_000
            let command = "head -c \(bytes) /dev/zero | tr '\\0' x; echo; echo done"
            #expect(try await hosts.run(host: 1, ["enqueue", "--id", "flood", "--command", command]).status == 0)
            try await hosts.startWorkers(host: 1, count: 1)
            let waited = try await hosts.run(host: 0, ["wait", "flood", "--timeout", "240"], timeout: .seconds(250))
            #expect(waited.status == 0, "\(waited.stderr)")

            let printed = try await hosts.run(host: 0, ["logs", "flood"], timeout: .seconds(120))
            #expect(printed.status == 0, "\(printed.stderr)")
            #expect(!FileManager.default.fileExists(atPath: hosts.homes[0] + "/logs/flood.log"), "host a has no file of it")
            let local = try #require(FileManager.default.contents(atPath: hosts.homes[1] + "/logs/flood.log"))
            #expect(printed.stdout.utf8.count == local.count, "host a prints as many bytes as host b's file holds")
            #expect(printed.stdout.utf8.elementsEqual(local), "host a prints what host b's log file holds")
            let lines = printed.lines
            #expect(lines.count == 4)
            #expect(lines.first?.hasPrefix("--- attempt 1 · ") == true)
            #expect(lines.dropFirst().first == String(repeating: "x", count: bytes))
            #expect(lines.dropFirst(2).first == "done")
            #expect(lines.last?.hasPrefix("--- end of attempt 1 · exited with code 0 · ") == true)

            let tail = try await hosts.run(host: 0, ["logs", "flood", "--tail", "2"])
            #expect(tail.lines.first == "done")
        }
    }
}
