import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// Worker daemons on two "hosts" (two data directories and host names) sharing one PostgreSQL
/// database: the queue is one queue, every job runs exactly once, and a host's death is recovered
/// by the other. Runs whenever `QUEUECTL_TEST_POSTGRES_URL` names a server (CI starts one).
@Suite("Many hosts on one PostgreSQL database", .serialized, .enabled(if: TestBackend.all.contains(.postgres)))
struct MultiHostTests {
    /// The ids in `path`, one per line as the jobs appended them (`<id> <worker>`).
    private static func lines(_ path: String) -> [(id: String, worker: String)] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
        }
    }

    /// Writes `ids` as JSON lines of jobs that append `<id> <worker>` to `output`.
    private static func jobFile(_ ids: [String], output: String, at path: String) throws {
        let lines = ids.map { id in
            #"{"id":"\#(id)","command":"echo \#(id) $QUEUECTL_WORKER >> \#(output)"}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test("two hosts drain 2,000 jobs sharing the work and run each exactly once", .timeLimit(.minutes(10)))
    func drainTogether() async throws {
        try await TwoHosts.with { hosts in
            let output = hosts.file("ran.txt")
            let ids = (1...2000).map { "job-\($0)" }
            try Self.jobFile(ids, output: output, at: hosts.file("jobs.jsonl"))
            try await hosts.startWorkers(host: 0, count: 2)
            try await hosts.startWorkers(host: 1, count: 2)
            let workers = try await hosts.run(host: 1, ["worker", "list", "--json"]).jsonArray()
            #expect(Set(workers.compactMap { $0["host"] as? String }) == Set(hosts.names))

            let enqueued = try await hosts.run(host: 0, ["enqueue", "--file", hosts.file("jobs.jsonl")])
            #expect(enqueued.status == 0, "\(enqueued)")
            #expect(enqueued.lines.count == 2000)

            let drained = try await eventually(timeout: .seconds(400), poll: .milliseconds(250)) {
                try await hosts.counts()["completed"] == 2000
            }
            let counts = try await hosts.counts()
            #expect(drained, "counts: \(counts)")
            let ran = Self.lines(output)
            #expect(ran.count == 2000, "every job appends one line")
            #expect(Set(ran.map(\.id)) == Set(ids), "each id exactly once")
            let byHost = Set(ran.map { $0.worker.split(separator: "-").prefix(3).joined(separator: "-") })
            #expect(byHost == Set(hosts.names), "both hosts ran jobs: \(byHost)")
        }
    }

    @Test("a job of a host killed with kill -9 is recovered by the other host after the lease", .timeLimit(.minutes(5)))
    func recoverKilledHost() async throws {
        try await TwoHosts.with { hosts in
            #expect(try await hosts.run(host: 0, ["config", "set", "lease_timeout", "3"]).status == 0)
            #expect(try await hosts.run(host: 0, ["config", "set", "backoff_base", "1"]).status == 0)
            let output = hosts.file("ran.txt")
            let command = "echo start $QUEUECTL_WORKER >> \(output); sleep 4; echo done $QUEUECTL_WORKER >> \(output)"
            #expect(try await hosts.run(host: 0, ["enqueue", "--command", command, "--id", "long"]).status == 0)
            try await hosts.startWorkers(host: 0, count: 1)

            var holder = ""
            #expect(
                try await eventually(timeout: .seconds(60)) {
                    let job = try await hosts.run(host: 0, ["show", "long", "--json"]).jsonObject()
                    holder = job["worker"] as? String ?? ""
                    return job["state"] as? String == "processing"
                })
            #expect(holder.hasPrefix(hosts.names[0]))
            let daemons = try await hosts.run(host: 0, ["worker", "list", "--json"]).jsonArray()
            let pid = try #require(daemons.first?["pid"] as? Int)
            #expect(kill(Int32(pid), SIGKILL) == 0)

            try await hosts.startWorkers(host: 1, count: 1)
            var job: [String: Any] = [:]
            let finished = try await eventually(timeout: .seconds(90), poll: .milliseconds(200)) {
                job = try await hosts.run(host: 1, ["show", "long", "--json"]).jsonObject()
                return job["state"] as? String == "completed"
            }
            #expect(finished, "job: \(job)")
            #expect(job["attempts"] as? Int == 2, "the lost run counts as a failed attempt")
            let ran = Self.lines(output).map { "\($0.id) \($0.worker)" }
            #expect(ran.contains { $0.hasPrefix("done \(hosts.names[1])") }, "\(ran)")
            #expect(!ran.contains { $0.hasPrefix("done \(hosts.names[0])") }, "the killed host's run never finished: \(ran)")
        }
    }

    @Test("8 workers on 2 hosts and 20 concurrent enqueuers lose nothing and run nothing twice", .timeLimit(.minutes(10)))
    func concurrentEnqueuers() async throws {
        try await TwoHosts.with { hosts in
            let output = hosts.file("ran.txt")
            try await hosts.startWorkers(host: 0, count: 4)
            try await hosts.startWorkers(host: 1, count: 4)
            let batches = (0..<20).map { batch in (0..<40).map { "e\(batch)-\($0)" } }
            for (index, ids) in batches.enumerated() {
                try Self.jobFile(ids, output: output, at: hosts.file("batch-\(index).jsonl"))
            }
            let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
                for index in batches.indices {
                    group.addTask {
                        try await hosts.run(host: index % 2, ["enqueue", "--file", hosts.file("batch-\(index).jsonl")]).status
                    }
                }
                return try await group.reduce(into: [Int32]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 0, count: 20))

            let all = batches.flatMap { $0 }
            let drained = try await eventually(timeout: .seconds(300), poll: .milliseconds(250)) {
                try await hosts.counts()["completed"] == all.count
            }
            let counts = try await hosts.counts()
            #expect(drained, "counts: \(counts)")
            let ran = Self.lines(output).map(\.id)
            #expect(ran.count == all.count, "nothing ran twice")
            #expect(Set(ran) == Set(all), "nothing was lost")
        }
    }

    @Test("logs on one host prints the output of a job another host ran, as it runs and whole at the end", .timeLimit(.minutes(5)))
    func logsAcrossHosts() async throws {
        try await TwoHosts.with { hosts in
            let gate = hosts.file("gate")
            let command = "echo first line; while [ ! -e \(gate) ]; do sleep 0.1; done; echo second line >&2"
            #expect(try await hosts.run(host: 1, ["enqueue", "--id", "remote", "--command", command]).status == 0)
            try await hosts.startWorkers(host: 1, count: 1)

            // While it runs on host b, host a (which never ran it and has no log file) already sees its first line.
            let partial = try await eventually(timeout: .seconds(60), poll: .milliseconds(200)) {
                try await hosts.run(host: 0, ["logs", "remote"]).stdout.contains("first line\n")
            }
            #expect(partial)
            #expect(!FileManager.default.fileExists(atPath: hosts.homes[0] + "/logs/remote.log"))
            let followOutput = hosts.file("follow.out")
            _ = FileManager.default.createFile(atPath: followOutput, contents: nil)
            let printed = { String(decoding: FileManager.default.contents(atPath: followOutput) ?? Data(), as: UTF8.self) }
            let follow = Task {
                try await hosts.run(
                    host: 0, ["logs", "remote", "--follow"], timeout: .seconds(90), standardOutput: followOutput)
            }
            // Let the job end only once `--follow` is following: it has printed the line written so far.
            let following = try await eventually(timeout: .seconds(60), poll: .milliseconds(100)) {
                printed().contains("first line\n")
            }
            #expect(following)
            _ = FileManager.default.createFile(atPath: gate, contents: nil)
            var followed = try await follow.value
            followed.stdout = printed()
            #expect(followed.status == 0, "\(followed)")
            #expect(followed.lines.dropFirst().dropLast() == ["first line", "second line"], "\(followed)")
            #expect(followed.lines.last?.hasPrefix("--- end of attempt 1 · exited with code 0 · ") == true, "\(followed)")
            #expect(followed.lines.first?.hasPrefix("--- attempt 1 · ") == true)

            let whole = try await hosts.run(host: 0, ["logs", "remote"])
            let local = try String(contentsOfFile: hosts.homes[1] + "/logs/remote.log", encoding: .utf8)
            #expect(whole.stdout == local, "host a prints what host b's log file holds")
        }
    }

    @Test("worker stop stops this host's workers and worker stop --all-hosts stops every host's")
    func stopAllHosts() async throws {
        try await TwoHosts.with { hosts in
            try await hosts.startWorkers(host: 0, count: 1)
            try await hosts.startWorkers(host: 1, count: 2)
            #expect(try await hosts.counts()["workers"] == 3)

            let local = try await hosts.run(host: 0, ["worker", "stop"])
            #expect(local.status == 0, "\(local)")
            let remaining = try await hosts.run(host: 0, ["worker", "list", "--json"]).jsonArray()
            #expect(remaining.compactMap { $0["host"] as? String } == [hosts.names[1], hosts.names[1]])

            try await hosts.startWorkers(host: 0, count: 1)
            let all = try await hosts.run(host: 0, ["worker", "stop", "--all-hosts"], timeout: .seconds(60))
            #expect(all.status == 0, "\(all)")
            #expect(all.stdout.contains("stopped 2 worker processes"), "\(all)")
            #expect(try await hosts.run(host: 1, ["worker", "list", "--json"]).jsonArray().isEmpty)
            #expect(try await hosts.counts()["workers"] == 0)
        }
    }
}
