import Foundation
import QueueCore
import QueueTestSupport
import QueueWorker
import Testing

@Suite("Worker supervisor")
struct SupervisorTests {
    @Test("worker start waits for rows of the daemon it spawned, not for any row with the same pid", arguments: TestBackend.all)
    func startMatchesProcessIdentity(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        let store = fixture.store
        let home = fixture.home
        // A "daemon" that never registers; the test plants rows with its pid as another host would have,
        // or a dead process that had the same pid.
        let start = Task {
            try await WorkerSupervisor(store: store, home: home).startDaemon(
                executable: "/bin/sh", arguments: ["-c", "exec sleep 60"], environment: [:], count: 1,
                deadline: .seconds(4))
        }
        var pid: Int32 = 0
        #expect(
            try await eventually(timeout: .seconds(60)) {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: home.workersDirectory)) ?? []
                let log = names.first { $0.hasPrefix("daemon-") && $0.hasSuffix(".log") && !$0.contains("starting") }
                pid = log.flatMap { Int32($0.dropFirst(7).dropLast(4)) } ?? 0
                return pid > 0
            })
        let realStart = try #require(ProcessIdentity.running(pid)).startTime
        try await store.registerWorkers(
            [
                WorkerRegistration(
                    id: "remote-\(pid)", pid: pid, host: "elsewhere", processStart: realStart, queues: [],
                    hostID: "elsewhere/boot/1"),
                WorkerRegistration(
                    id: "dead-\(pid)", pid: pid, host: WorkerHost.name, processStart: realStart - 1, queues: [],
                    hostID: WorkerHost.identity),
            ], now: Date())
        var failure: String?
        do {
            let started = try await start.value
            failure = "returned rows of other processes: \(started.workerIDs)"
        } catch let error as WorkerSupervisor.Failure {
            #expect(error.description.contains("did not register"), "\(error)")
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        #expect(failure == nil, "\(failure ?? "")")
    }
}
