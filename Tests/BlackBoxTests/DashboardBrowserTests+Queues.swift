import Foundation
import QueueCore
import QueueTestSupport
import Testing

extension DashboardBrowserTests {
    @Test(
        "the page's queues panel shows a queue's counts and its pause and resume buttons change the stored setting",
        .timeLimit(.minutes(5)), arguments: TestBackend.all)
    func pauseAndResumeQueue(backend: TestBackend) async throws {
        guard let executable = Chromium.executable() else {
            Issue.record("chromium is not installed: run 'apt-get install -y chromium' (the dashboard browser test needs it)")
            return
        }
        let cli = try await CLI(backend)
        for _ in 1...2 { #expect(try await cli.run("enqueue", "--command", "true", "--queue", "mail").status == 0) }
        let server = try await Server(cli: cli)
        do {
            let browser = try await Self.blocking { try Chromium(executable: executable, profile: cli.directory.file("chromium")) }
            defer { browser.quit() }
            try await Self.blocking { try browser.open("\(server.url)#token=\(server.token)") }
            let row = #"tr[data-queue="mail"]"#
            let shown = try await eventually(timeout: .seconds(30), poll: .milliseconds(100)) {
                try await Self.blocking {
                    (try? browser.text("document.querySelector('\(row) td:nth-child(2)').textContent")) == "2"
                }
            }
            #expect(shown, "the queue's row with 2 pending jobs did not appear")

            try await Self.blocking { try browser.click("\(row) .queue-pause") }
            /// Whether the stored setting says `paused`, as `queue list --json` prints it.
            func storedPaused(_ paused: Bool) async throws -> Bool {
                try await eventually(timeout: .seconds(30), poll: .milliseconds(100)) {
                    try await cli.run("queue", "list", "--json").jsonArray().first?["paused"] as? Bool == paused
                }
            }
            let paused = try await storedPaused(true)
            #expect(paused, "the pause button did not pause the queue")
            let resumeShown = try await eventually(timeout: .seconds(30), poll: .milliseconds(100)) {
                try await Self.blocking { try browser.isTrue("!!document.querySelector('\(row) .queue-resume')") }
            }
            #expect(resumeShown, "the paused queue's row offers no resume button")

            try await Self.blocking { try browser.click("\(row) .queue-resume") }
            let resumed = try await storedPaused(false)
            #expect(resumed, "the resume button did not resume the queue")
        } catch {
            _ = try? await server.stop()
            throw error
        }
        #expect(try await server.stop() == 0, "the dashboard did not exit 0 on SIGTERM")
    }
}
