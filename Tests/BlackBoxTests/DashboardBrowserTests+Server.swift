import Foundation
import QueueCore
import QueueTestSupport

extension DashboardBrowserTests {
    /// A `queuectl dashboard --port 0` process on the test's home and store, with the URL, token and browser
    /// address it printed.
    final class Server: Sendable {
        /// The running process.
        let process: Process
        /// `http://127.0.0.1:PORT/` as printed.
        let url: String
        /// The token, as printed in the browser address's `#token=`.
        let token: String
        /// The address to open in a browser, as printed (`url` with `#token=`).
        let browserAddress: String
        /// The line saying where the token came from.
        let tokenLine: String

        /// Starts the dashboard for `cli`'s home and database with `options` and waits (up to a minute) for its
        /// start lines.
        init(cli: CLI, options: [String] = [], environment: [String: String] = [:]) async throws {
            var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("QUEUECTL_") }
            variables["QUEUECTL_HOME"] = cli.home
            variables["QUEUECTL_DB"] = cli.databaseURL
            for (name, value) in environment { variables[name] = value }
            let outPath = cli.directory.file("dashboard.out")
            let errPath = cli.directory.file("dashboard.err")
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            _ = FileManager.default.createFile(atPath: errPath, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["dashboard", "--port", "0"] + options
            process.environment = variables
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
            process.standardInput = FileHandle.nullDevice
            try process.run()
            self.process = process

            var printed = ""
            let started = try await eventually(timeout: .seconds(60), poll: .milliseconds(50)) {
                printed = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
                return printed.contains("\nOpen ") && printed.hasSuffix("\n") || !process.isRunning
            }
            let lines = printed.split(separator: "\n").map(String.init)
            guard started, process.isRunning,
                let url = lines.first(where: { $0.hasPrefix("Dashboard: http://") })?.dropFirst("Dashboard: ".count),
                let tokenLine = lines.first(where: { $0.hasPrefix("Token: ") }),
                let open = lines.first(where: { $0.hasPrefix("Open ") })?.dropFirst("Open ".count).split(separator: " ").first,
                let fragment = open.range(of: "#token="),
                let token = open[fragment.upperBound...].removingPercentEncoding
            else {
                let errors = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
                if process.isRunning { process.terminate() }
                throw QueueError.operationFailed("the dashboard did not start; stdout: \(printed) stderr: \(errors)")
            }
            self.url = String(url)
            self.token = token
            self.tokenLine = tokenLine
            browserAddress = String(open)
        }

        /// Sends SIGTERM and returns the exit status (nil if it did not exit within 30 s, then it is killed).
        func stop() async throws -> Int32? {
            guard process.isRunning else { return process.terminationStatus }
            process.terminate()
            let exited = try await eventually(timeout: .seconds(30), poll: .milliseconds(50)) { !process.isRunning }
            guard exited else {
                kill(process.processIdentifier, SIGKILL)
                return nil
            }
            return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        }
    }
}
