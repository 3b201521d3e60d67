import Foundation
import QueueCore
import QueueTestSupport
import Testing

extension DashboardBrowserTests {
    @Test(
        "the page's cancel button stops a running job, which ends cancelled, and its counter shows it",
        .timeLimit(.minutes(5)), arguments: TestBackend.all)
    func cancelRunningJob(backend: TestBackend) async throws {
        guard let executable = Chromium.executable() else {
            Issue.record("chromium is not installed: run 'apt-get install -y chromium' (the dashboard browser test needs it)")
            return
        }
        let cli = try await CLI(backend)
        let pidFile = cli.directory.file("pgid")
        try await cli.withWorkerScope {
            #expect(try await cli.run(["enqueue", "--id", "endless", "--command", "echo $$ > \(pidFile); sleep 300"]).status == 0)
            #expect(try await cli.run("worker", "start").status == 0)
            #expect(try await eventually(timeout: .seconds(60)) { readPgid(pidFile) != nil })
            let pgid = try #require(readPgid(pidFile))

            let server = try await Server(cli: cli)
            do {
                let browser = try await Self.blocking { try Chromium(executable: executable, profile: cli.directory.file("chromium")) }
                defer { browser.quit() }
                try await Self.blocking { try browser.open("\(server.url)#token=\(server.token)") }
                let rowShown = try await eventually(timeout: .seconds(30), poll: .milliseconds(100)) {
                    try await Self.blocking { (try? browser.isTrue("!!document.querySelector('tr[data-id=\"endless\"]')")) ?? false }
                }
                #expect(rowShown, "the running job's row did not appear")
                try await Self.blocking { try browser.click(#"tr[data-id="endless"]"#) }
                let buttonShown = try await eventually(timeout: .seconds(30), poll: .milliseconds(100)) {
                    try await Self.blocking { try browser.isTrue("!!document.getElementById('detail-cancel')") }
                }
                #expect(buttonShown, "the running job's detail has no cancel button")
                try await Self.blocking { try browser.click("#detail-cancel") }

                let cancelled = try await eventually(timeout: .seconds(30), poll: .milliseconds(100)) {
                    let job = try await cli.run("show", "endless", "--json").jsonObject()
                    return job["state"] as? String == "cancelled"
                }
                #expect(cancelled, "the job did not end cancelled")
                #expect(!processGroupIsAlive(pgid), "the job's processes are gone")
                var shown: [String: Int] = [:]
                let counted = try await eventually(timeout: .seconds(30), poll: .milliseconds(200)) {
                    shown = try await Self.pageCounts(browser)
                    return shown["cancelled"] == 1 && shown["processing"] == 0
                }
                #expect(counted, "page shows \(shown)")
            } catch {
                _ = try? await server.stop()
                throw error
            }
            #expect(try await server.stop() == 0, "the dashboard did not exit 0 on SIGTERM")
            #expect(try await cli.run(["worker", "stop"], timeout: .seconds(90)).status == 0)
        }
    }
}
