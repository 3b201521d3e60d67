import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// A worker stopped in its first moments, before `worker list` shows it or just as it does, stops like any other:
/// cleanly, with its pid file and its rows gone.
@Suite("Worker stopped as it starts")
struct WorkerEarlySignalTests {
    @Test(
        "SIGTERM as soon as the worker's pid file appears ends it with status 0 and leaves no pid file or worker row",
        arguments: TestBackend.all)
    func stopWhileStarting(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            let run = try cli.startForeground(["worker", "run"])
            let process = run.process
            // The pid file is written before recovery and registration: the signal lands in the start-up the
            // group's own signal handling used to miss.
            let workers = cli.home + "/workers"
            let written = try await eventually(timeout: .seconds(60), poll: .milliseconds(1)) {
                ((try? FileManager.default.contentsOfDirectory(atPath: workers)) ?? []).contains { $0.hasSuffix(".pid") }
            }
            #expect(written)
            process.terminate()
            await run.exit()
            #expect(process.terminationReason == .exit && process.terminationStatus == 0)
            let pidFiles = try FileManager.default.contentsOfDirectory(atPath: workers).filter { $0.hasSuffix(".pid") }
            #expect(pidFiles.isEmpty, "\(pidFiles)")
            let listed = try await cli.run("worker", "list", "--json").jsonArray()
            #expect(listed.isEmpty, "\(listed)")
        }
    }
}
