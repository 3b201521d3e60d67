import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// The dashboard in a real browser: `queuectl dashboard` on a free loopback port, headless Chromium driving the
/// page through its own form and buttons. CI installs Debian's `chromium`; without it this test fails, it does
/// not skip.
@Suite("Dashboard in a real browser", .serialized)
struct DashboardBrowserTests {
    /// Where screenshots go: `<package>/.build/`.
    static let screenshotDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build").path

    /// Runs blocking browser calls on their own thread, off Swift's cooperative pool.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }

    /// The counts the page shows, keyed like `status --json`.
    static func pageCounts(_ browser: Chromium) async throws -> [String: Int] {
        let text = try await blocking {
            try browser.evaluate(
                "Object.fromEntries(['pending','processing','completed','failed','dead','cancelled','workers'].map(k => [k, document.getElementById('count-' + k)?.textContent ?? '']))")
        }
        let strings = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] ?? [:]
        return strings.compactMapValues { Int($0) }
    }

    /// `status --json` as numbers.
    static func statusCounts(_ cli: CLI) async throws -> [String: Int] {
        let result = try await cli.run("status", "--json")
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Int]) ?? [:]
    }

    @Test(
        "the page shows the status counts, follows changes made elsewhere, shows markup as text, enqueues and retries",
        .timeLimit(.minutes(5)), arguments: TestBackend.all)
    func browser(backend: TestBackend) async throws {
        guard let executable = Chromium.executable() else {
            Issue.record("chromium is not installed: run 'apt-get install -y chromium' (the dashboard browser test needs it)")
            return
        }
        let cli = try await CLI(backend)
        #expect(try await cli.run("enqueue", "echo one", "--id", "one").status == 0)
        #expect(try await cli.run(["enqueue", #"{"id":"xss","command":"<script>alert(1)</script>","unique_key":"<b>k</b>","no_retry_exit_codes":[3,64],"after":["one"]}"#]).status == 0)
        #expect(try await cli.run("enqueue", "--command", "sleep 1", "--queue", "mail").status == 0)
        try await cli.makeDeadJobs(["doomed", "doomed-by-cli"])
        // The xss job's log, as a run that printed markup would have left it.
        let logText = "<script>document.title = 'pwned'</script><img src=x onerror=\"document.title = 'pwned'\">\n"
        try await writeJobLog(
            logText, of: JobID(trusted: "xss"), store: try await cli.openStore(),
            home: QueueHome(root: URL(fileURLWithPath: cli.home)))

        let server = try await Server(cli: cli)
        do {
            let browser = try await Self.blocking { try Chromium(executable: executable, profile: cli.directory.file("chromium")) }
            defer { browser.quit() }
            try await Self.blocking { try browser.open("\(server.url)#token=\(server.token)") }
            let loaded = try await eventually(timeout: .seconds(30), poll: .milliseconds(100)) {
                // Evaluating while the tab still navigates may fail ("context destroyed"): that is "not yet".
                try await Self.blocking { (try? browser.isTrue("Number(document.body?.dataset.refreshes ?? 0) >= 1")) ?? false }
            }
            #expect(loaded, "the page did not load and refresh within 30 s")

            // Counts as `status --json` reports them.
            let expected = try await Self.statusCounts(cli)
            #expect(expected["pending"] == 3 && expected["dead"] == 2)
            var shown: [String: Int] = [:]
            let matched = try await eventually(timeout: .seconds(30), poll: .milliseconds(100)) {
                shown = try await Self.pageCounts(browser)
                return shown == expected
            }
            #expect(matched, "page shows \(shown), status --json says \(expected)")

            // The script tag is text, not markup.
            let cell = try await Self.blocking {
                try browser.evaluate(
                    "(() => { const c = document.querySelector('tr[data-id=\"xss\"] td:nth-child(3)'); return c ? [c.textContent, c.children.length, document.scripts.length] : null; })()")
            }
            let cellParts = try JSONSerialization.jsonObject(with: Data(cell.utf8), options: [.fragmentsAllowed]) as? [Any] ?? []
            #expect(cellParts.first as? String == "<script>alert(1)</script>", "\(cell)")
            #expect(cellParts.dropFirst().first as? Int == 0, "the command cell holds elements: \(cell)")
            #expect(cellParts.last as? Int == 1, "the page has more than its own script: \(cell)")

            // The page refreshes by itself: change the queue from the CLI only, and the page catches up.
            #expect(try await cli.run("enqueue", "--id", "by-cli", "--command", "echo from the cli").status == 0)
            #expect(try await cli.run("dlq", "retry", "doomed-by-cli").status == 0)
            let changed = try await Self.statusCounts(cli)
            #expect(changed["pending"] == 5 && changed["dead"] == 1)
            let followed = try await eventually(timeout: .seconds(30), poll: .milliseconds(200)) {
                shown = try await Self.pageCounts(browser)
                let row = try await Self.blocking { try browser.isTrue("!!document.querySelector('tr[data-id=\"by-cli\"]')") }
                return shown == changed && row
            }
            #expect(followed, "untouched, the page shows \(shown), status --json says \(changed)")

            // The detail panel shows the script tag command and the markup in its log as text.
            try await Self.blocking { try browser.click(#"tr[data-id="xss"]"#) }
            let detailShown = try await eventually(timeout: .seconds(30), poll: .milliseconds(100)) {
                try await Self.blocking {
                    try browser.isTrue("document.getElementById('detail-id').textContent === 'xss' && !!document.getElementById('detail-log')")
                }
            }
            #expect(detailShown, "the xss job's detail did not open")
            let detailJSON = try await Self.blocking {
                try browser.evaluate("""
                    (() => {
                      const names = [...document.querySelectorAll('#detail dt')];
                      const command = names.find(dt => dt.textContent === 'command')?.nextElementSibling;
                      const field = name => names.find(dt => dt.textContent === name)?.nextElementSibling?.textContent;
                      const log = document.getElementById('detail-log');
                      return { command: command?.textContent, commandElements: command?.querySelectorAll('*').length,
                               log: log.textContent, logElements: log.children.length,
                               markup: document.querySelectorAll('#detail script, #detail img').length,
                               scripts: document.scripts.length, title: document.title,
                               snoozes: field('snoozes'), codes: field('no-retry exit codes'), key: field('unique key'),
                               after: field('runs after') };
                    })()
                    """)
            }
            let detail = try JSONSerialization.jsonObject(with: Data(detailJSON.utf8)) as? [String: Any] ?? [:]
            #expect(detail["command"] as? String == "<script>alert(1)</script>", "\(detail)")
            #expect(detail["commandElements"] as? Int == 1, "the command is more than its one text span: \(detail)")
            #expect(detail["log"] as? String == logText, "\(detail)")
            // The exit-code policy and the unique key are shown too, the key as text.
            #expect(detail["snoozes"] as? String == "0", "\(detail)")
            #expect(detail["codes"] as? String == "3, 64", "\(detail)")
            #expect(detail["key"] as? String == "<b>k</b>", "\(detail)")
            // What it runs after, with that job's state, and that it still waits for it.
            #expect(detail["after"] as? String == "one pending waiting", "\(detail)")
            #expect(detail["logElements"] as? Int == 0, "\(detail)")
            #expect(detail["markup"] as? Int == 0, "\(detail)")
            #expect(detail["scripts"] as? Int == 1, "\(detail)")
            #expect(detail["title"] as? String == "queuectl dashboard", "\(detail)")

            // Enqueue through the form.
            try await Self.blocking {
                try browser.type("echo from the browser", into: "#enqueue-command")
                try browser.type("from-browser", into: "#enqueue-id")
                try browser.type("7", into: "#enqueue-priority")
                try browser.click("#enqueue-submit")
            }
            var shownJob: [String: Any] = [:]
            let enqueued = try await eventually(timeout: .seconds(30), poll: .milliseconds(100)) {
                let result = try await cli.run("show", "from-browser", "--json")
                guard result.status == 0 else { return false }
                shownJob = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
                return true
            }
            #expect(enqueued, "the form did not enqueue the job")
            #expect(shownJob["command"] as? String == "echo from the browser")
            #expect(shownJob["priority"] as? Int == 7)
            let message = try await eventually(timeout: .seconds(30), poll: .milliseconds(100)) {
                try await Self.blocking { try browser.text("document.getElementById('message').textContent") }
                    == "Enqueued job from-browser."
            }
            #expect(message)
            // The form then refreshes and selects the new job; wait for that, or it would take the selection back
            // from the row clicked next.
            let selectedNew = try await eventually(timeout: .seconds(30), poll: .milliseconds(100)) {
                try await Self.blocking { try browser.isTrue("document.getElementById('detail-id').textContent === 'from-browser'") }
            }
            #expect(selectedNew, "the form did not select the job it enqueued")

            // Retry the dead job: select its row, then press the detail's retry button.
            let rowShown = try await eventually(timeout: .seconds(30), poll: .milliseconds(100)) {
                try await Self.blocking { try browser.isTrue("!!document.querySelector('tr[data-id=\"doomed\"]')") }
            }
            #expect(rowShown)
            try await Self.blocking { try browser.click(#"tr[data-id="doomed"]"#) }
            let retryShown = try await eventually(timeout: .seconds(30), poll: .milliseconds(100)) {
                try await Self.blocking { try browser.isTrue("!!document.getElementById('detail-retry')") }
            }
            #expect(retryShown, "the dead job's detail has no retry button")
            try await Self.blocking { try browser.click("#detail-retry") }
            let retried = try await eventually(timeout: .seconds(30), poll: .milliseconds(100)) {
                let result = try await cli.run("show", "doomed", "--json")
                let job = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
                return job?["state"] as? String == "pending"
            }
            #expect(retried, "the dead job was not retried")

            // And shows what status --json says now.
            let after = try await Self.statusCounts(cli)
            #expect(after["dead"] == 0 && after["pending"] == 7)
            let caughtUp = try await eventually(timeout: .seconds(30), poll: .milliseconds(200)) {
                shown = try await Self.pageCounts(browser)
                return shown == after
            }
            #expect(caughtUp, "page shows \(shown), status --json says \(after)")

            let screenshot = "\(Self.screenshotDirectory)/dashboard-browser-\(backend.testDescription.lowercased()).png"
            try await Self.blocking { try browser.screenshot(to: screenshot) }
            #expect(FileManager.default.fileExists(atPath: screenshot))
        } catch {
            _ = try? await server.stop()
            throw error
        }
        #expect(try await server.stop() == 0, "the dashboard did not exit 0 on SIGTERM")
    }
}
