import Foundation
import QueueCore

#if canImport(Glibc)
import Glibc
#endif

extension DashboardBrowserTests {
    /// Headless Chromium driven over the DevTools protocol on `--remote-debugging-pipe` (fd 3 in, fd 4 out,
    /// messages separated by NUL): no websocket client needed. Calls block, with deadlines; run them off the
    /// cooperative pool (`DashboardBrowserTests.blocking`). A lock serialises them, so the type is Sendable.
    final class Chromium: @unchecked Sendable {
        /// The browser's process id.
        let pid: pid_t
        private let input: Int32
        private let output: Int32
        private let lock = NSLock()
        private var pending: [UInt8] = []
        private var nextID = 1
        private var session: String?

        /// The first of `chromium`, `chromium-browser`, `google-chrome` on `PATH`, or nil.
        static func executable() -> String? {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                for directory in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                    return "\(directory)/\(name)"
                }
            }
            return nil
        }

        /// Starts `executable` headless with its profile in `profile` and a 1280×1000 window.
        init(executable: String, profile: String) throws {
            var toBrowser: [Int32] = [0, 0]
            var fromBrowser: [Int32] = [0, 0]
            guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else {
                throw QueueError.operationFailed("cannot create pipes: \(String(cString: strerror(errno)))")
            }
            for descriptor in toBrowser + fromBrowser { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
            // Move the child's ends above 10 first, so dup2 onto 3 and 4 can never clobber one another.
            let childInput = fcntl(toBrowser[0], F_DUPFD_CLOEXEC, 10)
            let childOutput = fcntl(fromBrowser[1], F_DUPFD_CLOEXEC, 10)
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, childInput, 3)
            posix_spawn_file_actions_adddup2(&actions, childOutput, 4)
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            let arguments = [
                executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--remote-debugging-pipe",
                "--user-data-dir=\(profile)", "--window-size=1280,1000", "about:blank",
            ]
            let argv = arguments.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var child: pid_t = 0
            let status = posix_spawn(&child, executable, &actions, nil, argv, environ)
            for descriptor in [toBrowser[0], fromBrowser[1], childInput, childOutput] { Glibc.close(descriptor) }
            guard status == 0 else {
                Glibc.close(toBrowser[1])
                Glibc.close(fromBrowser[0])
                throw QueueError.operationFailed("cannot start \(executable): \(String(cString: strerror(status)))")
            }
            pid = child
            input = toBrowser[1]
            output = fromBrowser[0]
        }

        deinit {
            Glibc.close(input)
            Glibc.close(output)
        }

        /// Opens `url` in a new tab and attaches to it; later page commands go to that tab.
        func open(_ url: String) throws {
            let target = try send("Target.createTarget", ["url": url], toPage: false)
            guard let targetID = target["targetId"] as? String else { throw QueueError.operationFailed("no target id in \(target)") }
            let attached = try send("Target.attachToTarget", ["targetId": targetID, "flatten": true], toPage: false)
            guard let sessionID = attached["sessionId"] as? String else { throw QueueError.operationFailed("no session id in \(attached)") }
            lock.withLock { session = sessionID }
            _ = try send("Emulation.setDeviceMetricsOverride", ["width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": false])
        }

        /// Evaluates `expression` in the page (awaiting a promise) and returns its value as JSON text.
        func evaluate(_ expression: String) throws -> String {
            let wrapped = "(async () => JSON.stringify(await (\(expression))))()"
            let result = try send("Runtime.evaluate", ["expression": wrapped, "returnByValue": true, "awaitPromise": true])
            if let exception = result["exceptionDetails"] {
                throw QueueError.operationFailed("the page threw evaluating \(expression): \(exception)")
            }
            return (result["result"] as? [String: Any])?["value"] as? String ?? "null"
        }

        /// Whether `expression` is `true` in the page.
        func isTrue(_ expression: String) throws -> Bool {
            try evaluate(expression) == "true"
        }

        /// `expression`'s value in the page as a string (nil when it is not one).
        func text(_ expression: String) throws -> String? {
            try value(expression) as? String
        }

        /// `expression`'s value in the page, decoded from JSON.
        func value(_ expression: String) throws -> Any? {
            try JSONSerialization.jsonObject(with: Data(evaluate(expression).utf8), options: [.fragmentsAllowed])
        }

        /// Types `text` into the element matching `selector`, as keyboard input would.
        func type(_ text: String, into selector: String) throws {
            let focused = try value("(() => { const e = document.querySelector(\(Self.quoted(selector))); if (!e) return false; e.focus(); e.select && e.select(); return document.activeElement === e; })()")
            guard focused as? Bool == true else { throw QueueError.operationFailed("no focusable element matches \(selector)") }
            _ = try send("Input.insertText", ["text": text])
        }

        /// Clicks the middle of the element matching `selector` with the mouse.
        func click(_ selector: String) throws {
            let box = try value("(() => { const e = document.querySelector(\(Self.quoted(selector))); if (!e) return null; e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
            guard let point = box as? [Double], point.count == 2 else { throw QueueError.operationFailed("nothing to click matches \(selector)") }
            for type in ["mousePressed", "mouseReleased"] {
                _ = try send("Input.dispatchMouseEvent", ["type": type, "x": point[0], "y": point[1], "button": "left", "clickCount": 1])
            }
        }

        /// Saves a PNG of the page's viewport at `path`.
        func screenshot(to path: String) throws {
            let result = try send("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true])
            guard let encoded = result["data"] as? String, let data = Data(base64Encoded: encoded) else {
                throw QueueError.operationFailed("no screenshot data")
            }
            try data.write(to: URL(fileURLWithPath: path))
        }

        /// Closes the browser and reaps it (SIGKILL if it lingers).
        func quit() {
            _ = try? send("Browser.close", [:], toPage: false, timeout: 5)
            let deadline = Date().addingTimeInterval(5)
            var status: Int32 = 0
            while waitpid(pid, &status, WNOHANG) == 0 {
                if Date() > deadline {
                    kill(pid, SIGKILL)
                    waitpid(pid, &status, 0)
                    return
                }
                usleep(20_000)
            }
        }

        /// Sends one protocol command and waits for its answer (events are skipped).
        func send(_ method: String, _ parameters: [String: Any], toPage: Bool = true, timeout: TimeInterval = 30) throws -> [String: Any] {
            try lock.withLock {
                let id = nextID
                nextID += 1
                var message: [String: Any] = ["id": id, "method": method, "params": parameters]
                if toPage {
                    guard let session else { throw QueueError.operationFailed("no page open for \(method)") }
                    message["sessionId"] = session
                }
                var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
                bytes.append(0)
                try writeAll(bytes)
                let deadline = Date().addingTimeInterval(timeout)
                while true {
                    let answer = try readMessage(until: deadline, waitingFor: method)
                    guard answer["id"] as? Int == id else { continue }
                    if let error = answer["error"] { throw QueueError.operationFailed("\(method) failed: \(error)") }
                    return answer["result"] as? [String: Any] ?? [:]
                }
            }
        }

        private func writeAll(_ bytes: [UInt8]) throws {
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { throw QueueError.operationFailed("the browser closed its pipe: \(String(cString: strerror(errno)))") }
                offset += written
            }
        }

        private func readMessage(until deadline: Date, waitingFor method: String) throws -> [String: Any] {
            while true {
                if let end = pending.firstIndex(of: 0) {
                    let message = Array(pending[..<end])
                    pending.removeSubrange(...end)
                    return try JSONSerialization.jsonObject(with: Data(message)) as? [String: Any] ?? [:]
                }
                let remaining = deadline.timeIntervalSinceNow
                guard remaining > 0 else { throw QueueError.operationFailed("no answer to \(method) in time") }
                var descriptor = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, Int32(min(remaining, 1) * 1000))
                if ready < 0, errno == EINTR { continue }
                guard ready > 0 else { continue }
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                let count = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { throw QueueError.operationFailed("the browser exited while waiting for \(method)") }
                pending.append(contentsOf: chunk[..<count])
            }
        }

        /// `text` as a JavaScript string literal.
        static func quoted(_ text: String) -> String {
            let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
            return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
        }
    }
}
