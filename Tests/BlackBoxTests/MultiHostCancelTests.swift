import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// `cancel` across hosts sharing one PostgreSQL database: the request reaches the worker holding the job on
/// the other host (NOTIFY, the heartbeat as fallback), which stops the run's whole process group.
@Suite("cancel across hosts", .serialized, .enabled(if: TestBackend.all.contains(.postgres)))
struct MultiHostCancelTests {
    @Test("a job running on one host is cancelled from the other within 2 s and never runs again", .timeLimit(.minutes(5)))
    func cancelOnOtherHost() async throws {
        try await TwoHosts.with { hosts in
            #expect(try await hosts.run(host: 0, ["config", "set", "backoff_base", "1"]).status == 0)
            let pidFile = hosts.file("pgid")
            let runs = hosts.file("runs")
            let command = "echo $QUEUECTL_WORKER >> \(runs); echo $$ > \(pidFile); sleep 300 & sleep 300"
            #expect(try await hosts.run(host: 0, ["enqueue", "--id", "remote", "--max-retries", "3", "--command", command]).status == 0)
            try await hosts.startWorkers(host: 0, count: 1)
            #expect(try await eventually(timeout: .seconds(60)) { readPgid(pidFile) != nil })
            let pgid = try #require(readPgid(pidFile))
            try await hosts.startWorkers(host: 1, count: 1)

            let result = try await hosts.run(host: 1, ["cancel", "remote"])
            #expect(result.status == 0 && result.stdout == "remote\n", "\(result)")
            let returned = ContinuousClock.now
            let gone = try await eventually(timeout: .seconds(10), poll: .milliseconds(20)) { !processGroupIsAlive(pgid) }
            let took = ContinuousClock.now - returned
            #expect(gone && took < .seconds(2), "the group on the other host was gone after \(took)")
            let ended = try await eventually(timeout: .seconds(10)) {
                try await hosts.run(host: 1, ["show", "remote", "--json"]).jsonObject()["state"] as? String == "cancelled"
            }
            #expect(ended)
            // Due again within a second if it were retried: a later marker job proves it was not.
            #expect(try await hosts.run(host: 1, ["enqueue", "--id", "marker", "--delay", "2", "--command", "true"]).status == 0)
            #expect(try await hosts.run(host: 1, ["wait", "marker", "--timeout", "60"], timeout: .seconds(90)).status == 0)
            let ran = (try? String(contentsOfFile: runs, encoding: .utf8)) ?? ""
            #expect(ran.split(separator: "\n").count == 1 && ran.hasPrefix(hosts.names[0]), "ran: \(ran)")
            #expect(try await hosts.counts()["cancelled"] == 1)
        }
    }
}
