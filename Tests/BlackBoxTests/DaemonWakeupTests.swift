import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// A worker daemon's threads wake for work, not for each job's exit.
@Suite("worker daemon wake-ups")
struct DaemonWakeupTests {
    @Test(
        "a daemon's main thread sleeps through a drain: a job's exit (SIGCHLD) does not wake it",
        arguments: TestBackend.all)
    func mainThreadSleepsThroughADrain(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let count = 300
        try await cli.withWorkerScope {
            try await cli.run("worker", "start", "--count", "2").expectSuccess()
            let pidFiles = try FileManager.default.contentsOfDirectory(atPath: cli.home + "/workers")
                .filter { $0.hasSuffix(".pid") }
            let pid = try #require(pidFiles.first.flatMap { Int32($0.dropLast(4)) })
            let before = try #require(Self.contextSwitches(of: pid))
            let lines = (1...count).map { "{\"id\":\"j\($0)\",\"command\":\"true\"}\n" }.joined()
            try await cli.run(["enqueue", "-"], stdin: lines).expectSuccess()
            let drained = try await eventually(timeout: .seconds(120), poll: .milliseconds(200)) {
                (try? await cli.run("status", "--json").jsonObject()["completed"] as? Int) == count
            }
            #expect(drained)
            let after = try #require(Self.contextSwitches(of: pid))
            // Before SIGCHLD was blocked there, the main thread woke once per job (about `count` switches).
            #expect(after - before < count / 10, "the main thread switched \(after - before) times for \(count) jobs")
            try await cli.run("worker", "stop").expectSuccess()
        }
    }

    /// The voluntary and involuntary context switches of the process's main thread so far.
    static func contextSwitches(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/status", encoding: .utf8) else {
            return nil
        }
        let counts = status.split(separator: "\n").compactMap { line -> Int? in
            guard line.hasPrefix("voluntary_ctxt_switches:") || line.hasPrefix("nonvoluntary_ctxt_switches:") else {
                return nil
            }
            return line.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        return counts.count == 2 ? counts.reduce(0, +) : nil
    }
}
