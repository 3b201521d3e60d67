import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// What a user notices when things go wrong around the worker daemons: CPU use when idle, job
/// processes outliving a killed daemon, one data directory's recovery touching another's jobs, two
/// containers that share a host name, and stopping workers when the store is unreachable.
@Suite("Worker daemons under stress")
struct WorkerRobustnessTests {
    /// The CPU time (user + system, in seconds) process `pid` has used, from `/proc/PID/stat`.
    private static func cpuSeconds(_ pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The pid of the first registered daemon.
    private static func daemonPid(_ cli: CLI) async throws -> Int32 {
        let workers = try await cli.run("worker", "list", "--json").jsonArray()
        return Int32(try #require(workers.first?["pid"] as? Int))
    }

    /// Processes whose environment holds `variable` (e.g. `QUEUECTL_JOB_ID=x`).
    private static func processes(withEnvironment variable: String) -> [Int32] {
        let marker = Array(variable.utf8)
        return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            guard let pid = Int32(entry), pid > 1,
                let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                environ.split(separator: 0).contains(where: { Array($0) == marker })
            else { return nil }
            return pid
        }
    }

    @Test("an idle worker daemon uses almost no CPU", arguments: TestBackend.all)
    func idleCPU(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            try await cli.run("worker", "start").expectSuccess()
            let pid = try await Self.daemonPid(cli)
            let before = try #require(Self.cpuSeconds(pid))
            let started = ContinuousClock.now
            // A measurement window, not a wait for something to happen.
            try await Task.sleep(for: .seconds(2))
            let used = try #require(Self.cpuSeconds(pid)) - before
            let elapsed = ContinuousClock.now - started
            let share = used / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            #expect(share < 0.05, "an idle daemon used \(Int(share * 100)) % of a core")
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("worker start returns quickly on a quiet store")
    func startIsQuick() async throws {
        let cli = try await CLI(.sqlite)
        try await cli.withWorkerScope {
            try await cli.run("status").expectSuccess()
            let started = ContinuousClock.now
            try await cli.run("worker", "start").expectSuccess()
            let took = ContinuousClock.now - started
            // Measured 0.12-0.14 s with the debug build here; the bound leaves room for a loaded machine.
            #expect(took < .seconds(1), "worker start took \(took)")
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("a job's processes die with its only daemon killed by kill -9, and the next worker recovers the job", arguments: TestBackend.all)
    func processesDieWithDaemon(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        try await cli.withWorkerScope {
            try await cli.run("config", "set", "lease_timeout", "3").expectSuccess()
            try await cli.run("config", "set", "backoff_base", "1").expectSuccess()
            let child = cli.directory.file("child")
            let shell = cli.directory.file("shell")
            let command =
                "if [ \"$QUEUECTL_ATTEMPT\" = 1 ]; then sleep 1000 & echo $! > \(child); echo $$ > \(shell); sleep 1000; fi"
            try await cli.run(["enqueue", "--id", "victim", "--max-retries", "2", "--command", command]).expectSuccess()
            try await cli.run("worker", "start").expectSuccess()
            let daemon = try await Self.daemonPid(cli)
            #expect(try await eventually(timeout: .seconds(120)) { cli.readPid(shell) != nil })
            let pids = [try #require(cli.readPid(child)), try #require(cli.readPid(shell))]
            #expect(pids.allSatisfy(cli.processIsRunning))
            // A store that keeps logs has the run's header line once the worker copied it (at the run's start).
            #expect(try await eventually(timeout: .seconds(30)) {
                try await cli.run("logs", "victim").stdout.hasPrefix("--- attempt 1 ")
            })

            kill(daemon, SIGKILL)
            // No other daemon runs: nobody but the dead daemon's own guardian can kill them.
            for pid in pids {
                #expect(try await eventually(timeout: .seconds(10)) { !cli.processIsRunning(pid) }, "pid \(pid) outlived its daemon")
            }

            try await cli.run("worker", "start").expectSuccess()
            try await cli.run(["wait", "victim", "--timeout", "90"], timeout: .seconds(150)).expectSuccess()
            let job = try await cli.run("show", "victim", "--json").jsonObject()
            #expect(job["attempts"] as? Int == 2, "the lost run counted as a failed attempt")
            let log = try await cli.run("logs", "victim")
            #expect(log.lines.filter { $0.hasPrefix("--- attempt ") }.count == 2)
            // The log tells the story: run 1 lost with its worker (written by the recovering worker), run 2 done.
            let marks = log.lines.filter { $0.hasPrefix("--- ") }.map { $0.split(separator: "·").first.map(String.init) ?? "" }
            #expect(
                marks == ["--- attempt 1 ", "--- end of attempt 1 ", "--- attempt 2 ", "--- end of attempt 2 "], "\(log)")
            #expect(log.lines.contains { $0.hasPrefix("--- end of attempt 1 · worker lost: ") }, "\(log)")
            #expect(log.lines.last?.hasPrefix("--- end of attempt 2 · exited with code 0 · ") == true, "\(log)")
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
        }
    }

    @Test("recovering a lost job in one data directory leaves a job with the same id in another one running")
    func recoveryStaysInItsStore() async throws {
        let first = try await CLI(.sqlite)
        let second = try await CLI(.sqlite)
        try await first.withWorkerScope {
            try await second.withWorkerScope {
                // The second home runs job "same", attempt 1.
                let marker = second.directory.file("started")
                try await second.run(["enqueue", "--id", "same", "--command", "touch \(marker); sleep 1000"])
                    .expectSuccess()
                try await second.run("worker", "start").expectSuccess()
                #expect(try await eventually(timeout: .seconds(120)) { FileManager.default.fileExists(atPath: marker) })
                let running = Self.processes(withEnvironment: "QUEUECTL_JOB_ID=same")
                #expect(!running.isEmpty)

                // The first home has its own job "same", attempt 1, held by a worker whose lease lapsed long ago.
                let store = try await first.openStore()
                let long = Date().addingTimeInterval(-3600)
                try await store.registerWorkers(
                    [WorkerRegistration(id: "gone-1", pid: 999_999, host: "elsewhere", processStart: 1, queues: [])],
                    now: long)
                try await store.enqueue([makeJob("same", command: "true", maxRetries: 1, createdAt: Date())])
                #expect(try await store.claimJobs(for: ["gone-1"], queues: [], now: Date()).count == 1)

                // Its worker recovers it before it registers, sweeping for the lost run's processes.
                try await first.run("worker", "start").expectSuccess()
                #expect(try await first.run("show", "same", "--json").jsonObject()["state"] as? String != "processing")
                #expect(running.allSatisfy(second.processIsRunning), "the other home's job was killed")
                #expect(try await second.run("show", "same", "--json").jsonObject()["state"] as? String == "processing")

                try await first.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
                try await second.run(["worker", "stop", "--timeout", "1"], timeout: .seconds(150)).expectSuccess()
            }
        }
    }

    /// Whether this machine lets us start a process in a new pid namespace.
    static let canUnshare: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["--pid", "--fork", "--mount-proc", "true"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    @Test(
        "workers in another pid namespace with the same host name are not taken for dead",
        .enabled(if: canUnshare, "needs unshare(1) with CLONE_NEWPID"))
    func otherPidNamespace() async throws {
        let cli = try await CLI(.sqlite)
        let otherHome = cli.directory.file("home-container")
        try await cli.withWorkerScope {
            // A "container": the same host name and store, its own pid namespace (the daemon is pid 1 there).
            let container = Process()
            container.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            container.arguments = ["--pid", "--fork", "--mount-proc", "--kill-child", CLI.binary, "worker", "run"]
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("QUEUECTL_") }
            environment["QUEUECTL_HOME"] = otherHome
            environment["QUEUECTL_DB"] = cli.databaseURL
            container.environment = environment
            container.standardOutput = FileHandle.nullDevice
            container.standardError = FileHandle.nullDevice
            try container.run()
            defer {
                kill(container.processIdentifier, SIGKILL)
                for pid in Self.processes(withEnvironment: "QUEUECTL_HOME=\(otherHome)") { kill(pid, SIGKILL) }
                container.waitUntilExit()
            }
            #expect(try await eventually(timeout: .seconds(120)) {
                try await cli.run("worker", "list", "--json").jsonArray().count == 1
            })
            let marker = cli.directory.file("started")
            try await cli.run(["enqueue", "--id", "theirs", "--command", "touch \(marker); sleep 1000"]).expectSuccess()
            #expect(try await eventually(timeout: .seconds(120)) { FileManager.default.fileExists(atPath: marker) })
            let theirs = try await cli.run("worker", "list", "--json").jsonArray()
            let theirIDs = Set(theirs.compactMap { $0["id"] as? String })
            let jobProcesses = Self.processes(withEnvironment: "QUEUECTL_JOB_ID=theirs")
            #expect(!jobProcesses.isEmpty)

            // A worker on the host itself starts: its recovery pass must leave the container's workers alone.
            try await cli.run("worker", "start").expectSuccess()
            let all = try await cli.run("worker", "list", "--json").jsonArray()
            #expect(Set(all.compactMap { $0["id"] as? String }).isSuperset(of: theirIDs), "the container's workers were deregistered")
            let job = try await cli.run("show", "theirs", "--json").jsonObject()
            #expect(job["state"] as? String == "processing")
            #expect(theirIDs.contains(job["worker"] as? String ?? ""))
            #expect(jobProcesses.allSatisfy(cli.processIsRunning), "the container's job was killed")

            // And this host's worker stop stops only this host's daemon.
            try await cli.run(["worker", "stop"], timeout: .seconds(150)).expectSuccess()
            let left = try await cli.run("worker", "list", "--json").jsonArray()
            #expect(Set(left.compactMap { $0["id"] as? String }) == theirIDs)
        }
    }

    @Test("worker stop stops this data directory's daemons by signal when the store is unreachable")
    func stopWithoutStore() async throws {
        let cli = try await CLI(.sqlite)
        try await cli.withWorkerScope {
            try await cli.run("worker", "start").expectSuccess()
            let pid = try await Self.daemonPid(cli)
            let stop = try await cli.run(
                ["worker", "stop", "--db", cli.directory.file("no-such-dir/queue.db")], timeout: .seconds(150))
            #expect(stop.status == 0, "\(stop)")
            #expect(stop.stdout == "stopped 1 worker process\n", "\(stop)")
            #expect(stop.errorLines.count == 1 && stop.stderr.hasPrefix("queuectl: warning: "), "\(stop)")
            #expect(!cli.processIsRunning(pid))
            #expect(try await cli.run("worker", "list", "--json").jsonArray().isEmpty, "it deregistered as it exited")
        }
    }
}
