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

    @Test("help says which requests need the token and how the page gets it")
    func help() async throws {
        let cli = try await CLI(.sqlite)
        let result = try await cli.run("dashboard", "--help")
        #expect(result.status == 0)
        let help = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("with #token=… on loopback, with ?token=… off loopback"), "\(result.stdout)")
        #expect(help.contains("needed for changes, and off loopback for every request"), "\(result.stdout)")
        #expect(!help.contains("token for changes"))
    }

    @Test("off loopback, the printed ?token= address opens the page, and its cookie lets a reload in")
    func offLoopbackPage() async throws {
        let cli = try await CLI(.sqlite)
        let token = "s3cret&x#y%z"
        let server = try await DashboardBrowserTests.Server(cli: cli, options: ["--host", "0.0.0.0", "--token", token])
        do {
            #expect(server.token == token)
            let base = server.url.replacingOccurrences(of: "//0.0.0.0:", with: "//127.0.0.1:")
            #expect(server.browserAddress == server.url + "?token=s3cret%26x%23y%25z")
            let opened = try await Self.get(server.browserAddress.replacingOccurrences(of: "//0.0.0.0:", with: "//127.0.0.1:"))
            #expect(opened.status == 200)
            let cookie = try #require(opened.setCookie?.split(separator: ";").first.map(String.init))
            // The reload: the address without ?token= (the page removed it), the cookie, no header.
            #expect(try await Self.get(base).status == 401)
            #expect(try await Self.get(base, cookie: cookie).status == 200)
            #expect(try await Self.get(base + "api/status", cookie: cookie).status == 200)
        } catch {
            _ = try? await server.stop()
            throw error
        }
        #expect(try await server.stop() == 0)
    }

    /// A GET of `url` with an optional `Cookie` header, without any cookie store: the status and `Set-Cookie`.
    static func get(_ url: String, cookie: String? = nil) async throws -> (status: Int, setCookie: String?) {
        guard let address = URL(string: url) else { throw QueueError.invalidInput("bad URL \(url)") }
        var request = URLRequest(url: address)
        request.httpShouldHandleCookies = false
        if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        let (_, response) = try await URLSession(configuration: configuration).data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Set-Cookie"))
    }

    /// The body of a GET to `url` (loopback, no token needed for reading).
    static func fetch(_ url: String) async throws -> String {
        guard let address = URL(string: url) else { throw QueueError.invalidInput("bad URL \(url)") }
        let (data, _) = try await URLSession.shared.data(from: address)
        return String(decoding: data, as: UTF8.self)
    }
}
