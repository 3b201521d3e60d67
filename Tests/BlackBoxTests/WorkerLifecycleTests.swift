import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Black-box tests of the worker daemons: the built binary, a temp home, real processes.
@Suite("Worker daemons")
struct WorkerLifecycleTests {
    @Test("worker start returns once its workers are registered, and worker stop once they exited", arguments: TestBackend.all)
    func startListStop(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            let started = ContinuousClock.now
            let start = try await cli.run("worker", "start", "--count", "2")
            start.expectSuccess()
            #expect(ContinuousClock.now - started < .seconds(60))
            #expect(start.lines.count == 2)

            let list = try await cli.run("worker", "list", "--json")
            list.expectSuccess()
            let workers = try list.jsonArray()
            #expect(Set(workers.compactMap { $0["id"] as? String }) == Set(start.lines))
            #expect(workers.allSatisfy { ($0["state"] as? String) == "idle" })
            let pid = try #require(workers.first?["pid"] as? Int)
            #expect(try await cli.run("status", "--json").jsonObject()["workers"] as? Int == 2)

            let again = try await cli.run("worker", "start")
            again.expectSuccess()
            #expect(try await cli.run("worker", "list", "--json").jsonArray().count == 3)

            let stop = try await cli.run(["worker", "stop"], timeout: .seconds(150))
            stop.expectSuccess()
            #expect(!cli.processIsRunning(Int32(pid)))
            #expect(try await cli.run("worker", "list", "--json").jsonArray().isEmpty)
            #expect(try await cli.run("status", "--json").jsonObject()["workers"] as? Int == 0)

            let idle = try await cli.run(["worker", "stop"], timeout: .seconds(150))
            idle.expectSuccess()
            #expect(idle.stdout == "no workers running\n")
        }
    }

    @Test("a graceful stop lets the running job finish and returns only after the daemon exited", arguments: TestBackend.all)
    func gracefulStop(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            let marker = cli.directory.file("started")
            try await cli.run("worker", "start").expectSuccess()
            let pid = try #require(try await cli.run("worker", "list", "--json").jsonArray().first?["pid"] as? Int)
            // Long enough that the stop, however late it comes on a loaded machine, waits more than a second.
            try await cli.run(["enqueue", "--id", "slow", "--command", "touch \(marker); sleep 4; echo finished"])
                .expectSuccess()
            #expect(try await eventually(timeout: .seconds(120)) { FileManager.default.fileExists(atPath: marker) })
            let stop = try await cli.run(["worker", "stop"], timeout: .seconds(150))
            #expect(stop.status == 0)
            // The stop takes more than a second: it says what it waits for, once.
            #expect(
                stop.errorLines == [
                    "queuectl: note: waiting for job 'slow' to finish (with --timeout DURATION they are killed and put back as pending after that long)"
                ], "\(stop)")
            #expect(!cli.processIsRunning(Int32(pid)))
            let job = try await cli.run("show", "slow", "--json").jsonObject()
            #expect(job["state"] as? String == "completed")
            #expect(job["exit_code"] as? Int == 0)
            #expect(job["worker"] is NSNull)
            #expect(job["started_at"] is String && job["finished_at"] is String)
            #expect(try await cli.run("logs", "slow").stdout.contains("finished\n--- end of attempt 1 · exited with code 0 · "))
        }
    }

    @Test("worker stop --timeout kills a job still running and puts it back without counting the attempt", arguments: TestBackend.all)
    func stopWithTimeout(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            let pidFile = cli.directory.file("job.pid")
            try await cli.run(["enqueue", "--id", "long", "--command", "echo $$ > \(pidFile); sleep 1000"]).expectSuccess()
            try await cli.run("worker", "start").expectSuccess()
            #expect(try await eventually(timeout: .seconds(120)) { cli.readPid(pidFile) != nil })
            let started = ContinuousClock.now
            try await cli.run(["worker", "stop", "--timeout", "1"], timeout: .seconds(150)).expectSuccess()
            #expect(ContinuousClock.now - started < .seconds(120))
            let job = try await cli.run("show", "long", "--json").jsonObject()
            #expect(job["state"] as? String == "pending")
            #expect(job["attempts"] as? Int == 0)
            // The log says the run was interrupted and put back (the next run's header says attempt 1 again); the
            // run printed nothing, so these lines are kept by the store and there is no log file.
            #expect(!cli.hasLogFile("long"))
            let log = try await cli.run("logs", "long")
            #expect(log.lines.count == 2, "\(log)")
            #expect(log.lines.first?.hasPrefix("--- attempt 1 · ") == true, "\(log)")
            #expect(
                log.lines.last?.hasPrefix(
                    "--- end of attempt 1 · interrupted by a stop with a timeout: put back as pending, not counted as an attempt · ")
                    == true, "\(log)")
            let pid = try #require(cli.readPid(pidFile))
            #expect(try await eventually(timeout: .seconds(60)) { !cli.processIsRunning(pid) })
        }
    }

    @Test("SIGTERM to a foreground worker run finishes the running job and exits 0", arguments: TestBackend.all)
    func sigtermForeground(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            let marker = cli.directory.file("started")
            try await cli.run(["enqueue", "--id", "slow", "--command", "touch \(marker); sleep 2"]).expectSuccess()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["worker", "run"]
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("QUEUECTL_") }
            environment["QUEUECTL_HOME"] = cli.home
            environment["QUEUECTL_DB"] = cli.databaseURL
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let exited = AsyncStream<Void>.makeStream()
            process.terminationHandler = { _ in exited.continuation.finish() }
            try process.run()
            #expect(try await eventually(timeout: .seconds(120)) { FileManager.default.fileExists(atPath: marker) })
            process.terminate()
            let finished = try await eventually(timeout: .seconds(120)) { !process.isRunning }
            if !finished { kill(process.processIdentifier, SIGKILL) }
            for await _ in exited.stream {}
            #expect(finished)
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 0)
            let job = try await cli.run("show", "slow", "--json").jsonObject()
            #expect(job["state"] as? String == "completed")
            #expect(try await cli.run("worker", "list", "--json").jsonArray().isEmpty)
        }
    }

    @Test("after a restart pending jobs run, completed stay completed and dead stay dead", arguments: TestBackend.all)
    func persistence(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            let counter = cli.directory.file("runs")
            try await cli.run(["enqueue", "--id", "ok", "--command", "echo ok >> \(counter)"]).expectSuccess()
            try await cli.run(["enqueue", "--id", "bad", "--max-retries", "0", "--command", "echo bad >> \(counter); exit 4"])
                .expectSuccess()
            try await cli.run("worker", "start").expectSuccess()
            #expect(try await cli.run(["wait", "ok", "--timeout", "90"], timeout: .seconds(150)).status == 0)
            #expect(try await cli.run(["wait", "bad", "--timeout", "90"], timeout: .seconds(150)).status == 1)
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()

            try await cli.run(["enqueue", "--id", "later", "--command", "echo later >> \(counter)"]).expectSuccess()
            #expect(try await cli.run("show", "later", "--json").jsonObject()["state"] as? String == "pending")
            try await cli.run("worker", "start", "--count", "2").expectSuccess()
            try await cli.run(["wait", "later", "--timeout", "90"], timeout: .seconds(150)).expectSuccess()
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()

            #expect(try await cli.run("show", "ok", "--json").jsonObject()["state"] as? String == "completed")
            let bad = try await cli.run("show", "bad", "--json").jsonObject()
            #expect(bad["state"] as? String == "dead")
            #expect(bad["attempts"] as? Int == 1)
            let runs = try String(contentsOfFile: counter, encoding: .utf8)
            #expect(runs.split(separator: "\n").sorted() == ["bad", "later", "ok"])
        }
    }
}

extension CLI {
    /// Runs `body`, then always kills whatever daemons and job processes this test's home started,
    /// even when the test failed half-way: daemons by their pid files, then every process whose
    /// environment names this home (job processes inherit it from their daemon).
    func withWorkerScope(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            killWorkers()
            throw error
        }
        killWorkers()
    }

    /// SIGKILLs this test's daemons and their jobs.
    func killWorkers() {
        let workers = home + "/workers"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: workers)) ?? [] where name.hasSuffix(".pid") {
            if let pid = Int32(name.dropLast(4)), pid > 1 { kill(pid, SIGKILL) }
        }
        let marker = Array("QUEUECTL_HOME=\(home)".utf8)
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid > 1, pid != getpid(),
                let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ")
            else { continue }
            if environ.split(separator: 0).contains(where: { Array($0) == marker }) { kill(pid, SIGKILL) }
        }
    }

    /// Whether `pid` runs (a zombie does not count).
    func processIsRunning(_ pid: Int32) -> Bool {
        guard pid > 0, let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return false }
        let state = text[text.index(after: close)...].split(separator: " ").first ?? ""
        return state != "Z" && state != "X"
    }

    /// A pid a job wrote to `path`.
    func readPid(_ path: String) -> Int32? {
        (try? String(contentsOfFile: path, encoding: .utf8))
            .flatMap { Int32($0.split(separator: "\n").first?.trimmingCharacters(in: .whitespaces) ?? "") }
    }
}
