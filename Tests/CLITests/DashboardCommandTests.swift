import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import QueueCore
import QueueTestSupport
import Testing

@Suite("queuectl dashboard command")
struct DashboardCommandTests {
    @Test("bad options are usage errors: one line, exit 2", arguments: [
        ["dashboard", "--port", "70000"], ["dashboard", "--port", "-1"], ["dashboard", "--token", ""],
        ["dashboard", "--token", "two words"], ["dashboard", "--host", ""],
    ])
    func badOptions(arguments: [String]) async throws {
        let cli = try await CLI(.sqlite)
        let result = try await cli.run(arguments)
        result.expectError(status: 2)
    }

    @Test("a port already in use fails with one line and exit 1, and the running dashboard serves the API")
    func portInUse() async throws {
        let cli = try await CLI(.sqlite)
        let server = try await DashboardBrowserTests.Server(cli: cli)
        do {
            let port = try #require(server.url.split(separator: ":").last?.dropLast())
            let result = try await cli.run(["dashboard", "--port", String(port)])
            result.expectError(status: 1, mentioning: ["cannot listen on 127.0.0.1:\(port)", "in use"])

            #expect(server.token.count == 32)
            #expect(server.token.allSatisfy { "0123456789abcdef".contains($0) })
            let status = try await Self.fetch(server.url + "api/status")
            #expect(status == (try await cli.statusJSON()).trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            _ = try? await server.stop()
            throw error
        }
        #expect(try await server.stop() == 0)
    }

    @Test("the API answers byte for byte what the CLI's --json prints", arguments: TestBackend.all)
    func sameBytesAsCLI(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let command = #"echo "<script>alert('x')</script>" && echo a&b > /dev/null"#
        #expect(try await cli.run(["enqueue", "--id", "xss", "--command", command, "--priority", "3"]).status == 0)
        #expect(try await cli.run(["enqueue", "--id", "later", "--command", "true", "--delay", "600"]).status == 0)
        try await cli.makeDeadJobs(["doomed"])
        let server = try await DashboardBrowserTests.Server(cli: cli)
        do {
            for (path, arguments) in [
                ("api/jobs/xss", ["show", "xss", "--json"]), ("api/jobs/doomed", ["show", "doomed", "--json"]),
                ("api/jobs", ["list", "--json"]), ("api/jobs?state=dead", ["list", "--state", "dead", "--json"]),
                ("api/status", ["status", "--json"]),
            ] {
                let printed = try await cli.run(arguments)
                #expect(printed.status == 0, "\(printed)")
                let answered = try await Self.fetch(server.url + path)
                // The CLI ends its one line with a newline; otherwise the documents are the same bytes.
                #expect(answered + "\n" == printed.stdout, "GET /\(path) differs from queuectl \(arguments.joined(separator: " "))")
            }
            #expect(try await Self.fetch(server.url + "api/jobs/xss").contains("<script>alert('x')</script>"))
        } catch {
            _ = try? await server.stop()
            throw error
        }
        #expect(try await server.stop() == 0)
    }

    /// The body of a GET to `url` (loopback, no token needed for reading).
    static func fetch(_ url: String) async throws -> String {
        guard let address = URL(string: url) else { throw QueueError.invalidInput("bad URL \(url)") }
        let (data, _) = try await URLSession.shared.data(from: address)
        return String(decoding: data, as: UTF8.self)
    }
}
